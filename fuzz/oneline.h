/*
 * oneline.h - the invariant of every text libmtls writes for people.
 *
 * Explanations, errors and certificate facts reach log lines and
 * terminals; the names in them come from certificates, CRLs, responses
 * and files an attacker may have made.  So each must be one line with no
 * control character in it (certname.h escapes them).
 */
#ifndef MTLS_ONELINE_H
#define MTLS_ONELINE_H

/*
 * Abort, saying what text was (e.g. "fuzz_crl: error"), unless text is
 * one non-empty line free of control characters.
 */
void check_one_line(const char *what, const char *text);

#endif /* MTLS_ONELINE_H */
