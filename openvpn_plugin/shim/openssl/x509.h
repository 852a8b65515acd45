/*
 * openssl/x509.h - the one name OpenVPN's plugin header needs from OpenSSL.
 *
 * openvpn-plugin.h includes <openssl/x509.h> unconditionally, for the type
 * of the certificate it passes at TLS_VERIFY.  The plugin reads the
 * certificate from the file tls-export-cert writes and never touches that
 * pointer, so an incomplete type is all it needs: the plugin builds against
 * GnuTLS alone, without OpenSSL's headers.
 */
#ifndef MTLS_SHIM_OPENSSL_X509_H
#define MTLS_SHIM_OPENSSL_X509_H

typedef struct x509_st X509;

#endif
