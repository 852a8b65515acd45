/*
 * bench_crl_index CRL ISSUER DIR: what the CRL index costs and gives, for
 * one CRL (PEM or DER) signed by ISSUER (PEM), its index written to DIR.
 * Prints the parse and index build times, the index size, the time to open
 * the index and answer one lookup (what a fresh login process pays), and
 * lookups per second in one process.  The CRL's serials are expected to be
 * 1..n, as revocation_bench.sh makes them, so that half the lookups hit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "benchclock.h"
#include "crl_index.h"

static void die(const char *what, int ret) __attribute__((noreturn));

static void
die(const char *what, int ret)
{
	fprintf(stderr, "bench_crl_index: %s: %s\n", what,
	    ret < 0 ? gnutls_strerror(ret) : "failed");
	exit(1);
}

/* Serial s as DER INTEGER content octets; returns the length. */
static size_t
serial_octets(unsigned long s, unsigned char out[9])
{
	unsigned char be[8];
	size_t i = 0, len;

	for (int k = 7; k >= 0; k--) {
		be[k] = (unsigned char)s;
		s >>= 8;
	}
	while (i < 7 && be[i] == 0)
		i++;
	len = 0;
	if (be[i] & 0x80)
		out[len++] = 0;
	memcpy(out + len, be + i, 8 - i);
	return len + 8 - i;
}

int
main(int argc, char *argv[])
{
	gnutls_datum_t data, der, issuer_pem;
	struct crlread crl;
	gnutls_x509_crt_t issuer;
	struct crl_index_file *file;
	char path[4096], err[512];
	unsigned char serial[9];
	unsigned long n, hits = 0, lookups = 0;
	size_t crl_size;
	double t0, parse, build, first, elapsed;
	struct stat st;
	int ret, pem;

	if (argc != 4) {
		fputs("usage: bench_crl_index CRL ISSUER DIR\n", stderr);
		return 2;
	}
	if ((ret = gnutls_load_file(argv[1], &data)) < 0)
		die(argv[1], ret);
	pem = data.size > 11 && memcmp(data.data, "-----BEGIN ", 11) == 0;
	t0 = bench_now();
	if (pem) {
		if ((ret = gnutls_pem_base64_decode2("X509 CRL", &data,
		    &der)) < 0)
			die("PEM", ret);
	} else
		der = data;
	if (crlread_der(&crl, der.data, der.size, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_crl_index: %s\n", err);
		return 1;
	}
	parse = bench_now() - t0;
	if ((ret = gnutls_load_file(argv[2], &issuer_pem)) < 0 ||
	    (ret = gnutls_x509_crt_init(&issuer)) < 0 ||
	    (ret = gnutls_x509_crt_import(issuer, &issuer_pem,
	    GNUTLS_X509_FMT_PEM)) < 0)
		die(argv[2], ret);
	t0 = bench_now();
	if (crl_index_build(&crl, der.data, der.size, issuer, argv[3], argv[1],
	    0, path, sizeof(path), err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_crl_index: %s\n", err);
		return 1;
	}
	build = bench_now() - t0;
	crl_size = der.size;
	crlread_clear(&crl);
	gnutls_x509_crt_deinit(issuer);
	gnutls_free(issuer_pem.data);
	if (pem)
		gnutls_free(der.data);
	gnutls_free(data.data);
	if (stat(path, &st) != 0)
		die(path, 0);

	t0 = bench_now();
	if (crl_index_file_open(path, &file, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_crl_index: %s\n", err);
		return 1;
	}
	n = (unsigned long)crl_index_file_info(file)->count;
	if (crl_index_file_lookup(file, serial, serial_octets(n, serial)) != 1)
		die("the last serial is not found", 0);
	first = bench_now() - t0;

	srandom(1);
	t0 = bench_now();
	do {
		for (int i = 0; i < 10000; i++) {
			unsigned long s = 1 + (unsigned long)random() % (2 * n);

			hits += crl_index_file_lookup(file, serial,
			    serial_octets(s, serial)) == 1;
		}
		lookups += 10000;
		elapsed = bench_now() - t0;
	} while (elapsed < 1.0);
	crl_index_file_close(file);

	printf("%8lu serials: CRL %6.1f MB, parse %6.3f s, index build "
	    "%6.3f s, index %6.1f MB, open + first lookup %7.1f us, "
	    "%.2f M lookups/s (%.0f%% hits)\n", n,
	    (double)crl_size / 1e6, parse, build, (double)st.st_size / 1e6,
	    first * 1e6, (double)lookups / elapsed / 1e6,
	    100.0 * (double)hits / (double)lookups);
	return 0;
}
