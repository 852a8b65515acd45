/*
 * gnutls_verify CA UNTRUSTED CERT - the floor of "mtls verify" as a whole
 * process: a program that does nothing but what GnuTLS does to verify
 * CERT through the intermediate in UNTRUSTED to the CAs in CA (PEM files),
 * with a trust list (gnutls_x509_trust_list_verify_crt2()).  No RFC 5280 rules
 * of its own, no policy, no user, no audit line: what is left of a
 * whole-process verification once everything that is not GnuTLS's is
 * gone.  Exits 0 when GnuTLS accepts CERT, 1 when it does not, 2 on
 * trouble.
 */
#include <stdio.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* The certificates of the PEM file path, imported; -1 on trouble. */
static int
import(const char *path, gnutls_x509_crt_t **crts, unsigned *n)
{
	gnutls_datum_t pem;
	int ret;

	if (gnutls_load_file(path, &pem) < 0) {
		fprintf(stderr, "gnutls_verify: cannot read %s\n", path);
		return -1;
	}
	ret = gnutls_x509_crt_list_import2(crts, n, &pem, GNUTLS_X509_FMT_PEM,
	    0);
	gnutls_free(pem.data);
	if (ret < 0 || *n == 0) {
		fprintf(stderr, "gnutls_verify: %s: no certificate\n", path);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	gnutls_x509_trust_list_t list;
	gnutls_x509_crt_t *ca, *untrusted, *cert, path[2];
	unsigned nca, nuntrusted, ncert, status;

	if (argc != 4) {
		fputs("usage: gnutls_verify CA UNTRUSTED CERT\n", stderr);
		return 2;
	}
	if (import(argv[1], &ca, &nca) != 0 ||
	    import(argv[2], &untrusted, &nuntrusted) != 0 ||
	    import(argv[3], &cert, &ncert) != 0)
		return 2;
	/* the trust list owns the CAs it is given, and frees them */
	if (gnutls_x509_trust_list_init(&list, 0) < 0 ||
	    gnutls_x509_trust_list_add_cas(list, ca, nca, 0) < 0)
		return 2;
	path[0] = cert[0];
	path[1] = untrusted[0];
	if (gnutls_x509_trust_list_verify_crt2(list, path, 2, NULL, 0, 0,
	    &status, NULL) < 0)
		return 2;
	puts(status == 0 ? "accepted" : "rejected");
	gnutls_x509_trust_list_deinit(list, 1);
	for (unsigned i = 0; i < nuntrusted; i++)
		gnutls_x509_crt_deinit(untrusted[i]);
	for (unsigned i = 0; i < ncert; i++)
		gnutls_x509_crt_deinit(cert[i]);
	gnutls_free(ca);
	gnutls_free(untrusted);
	gnutls_free(cert);
	return status == 0 ? 0 : 1;
}
