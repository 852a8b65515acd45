/*
 * Delta CRLs (RFC 5280, 5.2.4), as Microsoft AD CS publishes them: a
 * complete CRL a week, a delta CRL a day listing what changed since.  The
 * intermediate's complete CRL has carol on hold and dave revoked for a
 * key compromise; its delta CRL revokes bob and takes carol and dave off
 * (removeFromCRL), which only lifts carol's hold.  Every case is checked
 * through the CRL files and through the index "mtls crl update"
 * publishes, which must agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "ctx.h"
#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

#define DAY 86400

static struct {
	gnutls_x509_privkey_t key, other_key;
	gnutls_x509_crt_t bob, carol, dave, erin;
	unsigned base_number;	/* the complete CRL's */
	unsigned delta_number;	/* the delta CRL's */
	int updated;		/* what the last update returned */
} fx;

static gnutls_x509_crt_t
client(const char *dn)
{
	gnutls_x509_crt_t crt = tpki_new(dn, fx.key, 0);

	tpki_make_client(crt);
	tpki_sign(crt, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	return crt;
}

/* An "openssl ca" database line for crt, with reason (NULL: none). */
static void
listed(FILE *db, gnutls_x509_crt_t crt, const char *reason)
{
	unsigned char serial[32];
	size_t len = sizeof(serial);

	assert_int_equal(gnutls_x509_crt_get_serial(crt, serial, &len), 0);
	tpki_db_revoked_reason(db, serial, len, reason);
}

static unsigned
crl_number(gnutls_x509_crl_t crl)
{
	unsigned char number[8];
	size_t len = sizeof(number);
	unsigned value = 0;

	assert_true(gnutls_x509_crl_get_number(crl, number, &len, NULL) >= 0);
	for (size_t i = 0; i < len; i++)
		value = value << 8 | number[i];
	return value;
}

/* Where AD CS has its CRLs name their delta CRLs (freshestCRL). */
#define FRESHEST "http://pki.example.com/CertEnroll/Test%20Intermediate+.crl"

/*
 * A CRL of the intermediate (by signer, key: another key's certificate
 * when not the intermediate) into name, from database db, a delta CRL of
 * base when base is not 0, valid from this_update to next_update; with
 * the extensions more (openssl configuration lines, NULL: none) too.
 * Returns its CRL number.
 */
static unsigned
write_crl_with(const char *name, gnutls_x509_crt_t signer,
    gnutls_x509_privkey_t key, const char *db, unsigned base,
    const char *more, time_t this_update, time_t next_update)
{
	char ext[512] = "";
	gnutls_x509_crl_t crl;
	unsigned number;

	/* OpenSSL has no configuration syntax for it but the raw one */
	if (base != 0)
		snprintf(ext, sizeof(ext), "2.5.29.27 = critical, "
		    "ASN1:INTEGER:%u\n", base);
	if (more != NULL)
		snprintf(ext + strlen(ext), sizeof(ext) - strlen(ext), "%s",
		    more);
	crl = tpki_openssl_crl_dated(signer, key, tpki_path(db), ext,
	    this_update, next_update);
	tpki_write_crl(tpki_path(name), crl);
	number = crl_number(crl);
	gnutls_x509_crl_deinit(crl);
	return number;
}

static unsigned
write_crl(const char *name, gnutls_x509_crt_t signer,
    gnutls_x509_privkey_t key, const char *db, unsigned base,
    time_t this_update, time_t next_update)
{
	return write_crl_with(name, signer, key, db, base, NULL,
	    this_update, next_update);
}

static void
write_db(const char *name, gnutls_x509_crt_t held, gnutls_x509_crt_t revoked,
    gnutls_x509_crt_t added, gnutls_x509_crt_t removed1,
    gnutls_x509_crt_t removed2)
{
	FILE *db = fopen(tpki_path(name), "w");

	assert_non_null(db);
	if (held != NULL)
		listed(db, held, "certificateHold,holdInstructionReject");
	if (revoked != NULL)
		listed(db, revoked, "keyCompromise");
	if (added != NULL)
		listed(db, added, "keyCompromise");
	if (removed1 != NULL)
		listed(db, removed1, "removeFromCRL");
	if (removed2 != NULL)
		listed(db, removed2, "removeFromCRL");
	assert_int_equal(fclose(db), 0);
}

static int
setup(void **state)
{
	time_t now = time(NULL);

	pki_setup(state);
	fx.key = tpki_key_ec();
	fx.other_key = tpki_key_ec();
	fx.bob = client("CN=bob");
	fx.carol = client("CN=carol");
	fx.dave = client("CN=dave");
	fx.erin = client("CN=erin");
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("intermediate.pem"), &pki.intermediate, 1);

	/* the complete CRL: carol on hold, dave revoked */
	write_db("base.db", fx.carol, fx.dave, NULL, NULL, NULL);
	fx.base_number = write_crl("base.crl", pki.intermediate, pki.int_key,
	    "base.db", 0, now - 60, now + 7 * DAY);
	/* the delta CRL: bob revoked, carol's hold lifted, dave's revocation
	 * taken off in vain */
	write_db("delta.db", NULL, NULL, fx.bob, fx.carol, fx.dave);
	fx.delta_number = write_crl("delta.crl", pki.intermediate,
	    pki.int_key, "delta.db", fx.base_number, now - 60, now + DAY);
	return 0;
}

static int
teardown(void **state)
{
	tpki_free(fx.bob);
	tpki_free(fx.carol);
	tpki_free(fx.dave);
	tpki_free(fx.erin);
	gnutls_x509_privkey_deinit(fx.key);
	gnutls_x509_privkey_deinit(fx.other_key);
	return pki_teardown(state);
}

static void
report(void *arg, int failed, const char *line)
{
	(void)arg;
	(void)failed;
	(void)line;
}

/*
 * A verifier of the CRL files crls (mtls.conf list syntax) under
 * crl_require require; with index, after "mtls crl update" published
 * them into an empty index (whatever it could not publish, such as a
 * stale CRL, is then read from its file, as verifications do).  NULL with
 * the error in err when it cannot be configured.
 */
static struct mtls_ctx *
verifier(const char *crls, const char *require, bool index, char *err,
    size_t errlen)
{
	struct mtls_config *cfg;
	struct mtls_ctx *ctx = mtls_ctx_new();
	char settings[1024];

	snprintf(settings, sizeof(settings), "intermediates_file = "
	    "\"intermediate.pem\";\nrevocation = {\n  mode = \"crl\";\n"
	    "  crl_require = \"%s\";\n  crl_files = [%s];\n%s%s%s};\n",
	    require, crls, index ? "  cache_dir = \"" : "",
	    index ? tpki_path("cache") : "", index ? "\";\n" : "");
	cfg = config_from_settings(settings);
	if (index) {
		tpki_remove_tree(tpki_path("cache"));
		fx.updated = mtls_crl_update(cfg, time(NULL), report, NULL);
	}
	assert_non_null(ctx);
	if (mtls_ctx_configure(ctx, cfg) != 0) {
		snprintf(err, errlen, "%s", mtls_ctx_error(ctx));
		mtls_ctx_free(ctx);
		ctx = NULL;
	}
	mtls_config_free(cfg);
	return ctx;
}

static struct mtls_ctx *
must_verify(const char *crls, const char *require, bool index)
{
	char err[1024];
	struct mtls_ctx *ctx = verifier(crls, require, index, err,
	    sizeof(err));

	if (ctx == NULL)
		fail_msg("configure: %s", err);
	return ctx;
}

static void
assert_accepted(struct mtls_verdict *v, bool index)
{
	assert_accepted_from(v, index ? MTLS_REVSRC_CRL_INDEX :
	    MTLS_REVSRC_CRL_FILE);
}

/*
 * The complete CRL alone says what it says: the week-long gap an
 * administrator closes by configuring its delta too.  Then, revoked only
 * in the delta is revoked, and said to be; a hold the delta lifts is
 * lifted; a revocation for a key compromise stays, whatever the delta
 * says, and an acceptance notes the two CRLs read.  The update publishes
 * both.
 */
/* Whether the verdict has a note saying that, then freed. */
static bool
noted(struct mtls_verdict *v, const char *what)
{
	bool found = false;

	for (size_t i = 0; i < mtls_verdict_note_count(v); i++)
		found = found || strstr(mtls_verdict_note_at(v, i), what) != NULL;
	mtls_verdict_free(v);
	return found;
}

static void
delta_combines_with_its_base(void **state)
{
	char said[64], read[128];

	(void)state;
	snprintf(said, sizeof(said), "delta CRL #%u", fx.delta_number);
	snprintf(read, sizeof(read), "checked against its CA's complete CRL "
	    "#%u and delta CRL #%u", fx.base_number, fx.delta_number);
	for (int index = 0; index < 2; index++) {
		struct mtls_ctx *ctx = must_verify("\"base.crl\"", "leaf",
		    index);

		assert_accepted(verify_crts(ctx, &fx.bob, 1, NULL), index);
		assert_refused(verify_crts(ctx, &fx.carol, 1, NULL),
		    MTLS_R_REVOKED, "carol");
		assert_false(noted(verify_crts(ctx, &pki.leaf, 1, NULL),
		    "delta CRL"));
		mtls_ctx_free(ctx);

		ctx = must_verify("\"base.crl\", \"delta.crl\"", "leaf",
		    index);
		if (index)
			assert_int_equal(fx.updated, 0);
		assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), index);
		/* the verdict says which CRLs it was read from */
		assert_true(noted(verify_crts(ctx, &pki.leaf, 1, NULL), read));
		assert_refused(verify_crts(ctx, &fx.bob, 1, NULL),
		    MTLS_R_REVOKED, said);
		assert_accepted(verify_crts(ctx, &fx.carol, 1, NULL), index);
		assert_refused(verify_crts(ctx, &fx.dave, 1, NULL),
		    MTLS_R_REVOKED, "only a certificate on hold can be taken "
		    "off, so it stays revoked");
		mtls_ctx_free(ctx);
	}
}

/*
 * A delta CRL alone lists only changes: it never clears a certificate,
 * even where no CRL is required, and the explanation names what to
 * configure.
 */
static void
delta_alone_fails_closed(void **state)
{
	static const char *const requires[] = { "none", "leaf" };

	(void)state;
	for (int index = 0; index < 2; index++)
		for (size_t i = 0; i < 2; i++) {
			struct mtls_ctx *ctx = must_verify("\"delta.crl\"",
			    requires[i], index);

			assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
			    MTLS_R_CRL_MISSING, "configure the complete CRL");
			assert_refused(verify_crts(ctx, &fx.carol, 1, NULL),
			    MTLS_R_CRL_MISSING, "only the delta CRL");
			mtls_ctx_free(ctx);
		}
}

/*
 * A delta CRL of a newer complete CRL than the one configured cannot be
 * read against it: the complete CRL is out of date (crl-stale), and no
 * certificate is accepted; what the delta revokes is revoked
 * (delta_that_cannot_be_read_still_revokes).
 */
static void
delta_of_a_newer_base_is_not_used(void **state)
{
	time_t now = time(NULL);
	char said[64];

	(void)state;
	write_crl("ahead.crl", pki.intermediate, pki.int_key, "delta.db",
	    fx.base_number + 1000, now - 60, now + DAY);
	snprintf(said, sizeof(said), "complete CRL #%u or newer",
	    fx.base_number + 1000);
	for (int index = 0; index < 2; index++) {
		struct mtls_ctx *ctx = must_verify("\"base.crl\", "
		    "\"ahead.crl\"", "leaf", index);

		assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
		    MTLS_R_CRL_STALE, said);
		/* what the complete CRL lists stays revoked */
		assert_refused(verify_crts(ctx, &fx.dave, 1, NULL),
		    MTLS_R_REVOKED, "dave");
		mtls_ctx_free(ctx);
	}
}

/*
 * A stale delta CRL is as stale as a stale complete CRL.  So it is when
 * the complete CRL is newer than it (its CA published both, and the
 * fetch of the new delta CRL failed, or was made to): it adds nothing to
 * the complete CRL, but is still the CA's latest word on what changed.
 * Were it passed over, a revocation since the complete CRL would go
 * unseen, silently, until the next complete CRL (a week with AD CS).
 */
static void
stale_delta_is_stale(void **state)
{
	time_t now = time(NULL);
	char said[64];
	unsigned number;

	(void)state;
	number = write_crl("stale.crl", pki.intermediate, pki.int_key,
	    "delta.db", fx.base_number, now - 3 * DAY, now - 2 * DAY);
	write_crl("rebased.crl", pki.intermediate, pki.int_key, "base.db", 0,
	    now - 60, now + 7 * DAY);
	snprintf(said, sizeof(said), "delta CRL #%u", number);
	for (int index = 0; index < 2; index++) {
		struct mtls_ctx *ctx = must_verify("\"base.crl\", "
		    "\"stale.crl\"", "leaf", index);

		assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
		    MTLS_R_CRL_STALE, said);
		/* a revocation stays true however old the CRL saying it */
		assert_refused(verify_crts(ctx, &fx.bob, 1, NULL),
		    MTLS_R_REVOKED, said);
		mtls_ctx_free(ctx);

		ctx = must_verify("\"rebased.crl\", \"stale.crl\"", "leaf",
		    index);
		assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
		    MTLS_R_CRL_STALE, said);
		mtls_ctx_free(ctx);
		/* a fresh one no newer than the complete CRL adds nothing */
		ctx = must_verify("\"rebased.crl\", \"delta.crl\"", "leaf",
		    index);
		assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), index);
		mtls_ctx_free(ctx);
	}
}

/*
 * Of several delta CRLs the newest decides: each lists every change
 * since the complete CRL, so what an older one lists and the newest does
 * not is no longer so.
 */
static void
newest_delta_decides(void **state)
{
	time_t now = time(NULL);
	char said[64];
	unsigned number;

	(void)state;
	write_db("newer.db", NULL, NULL, fx.erin, NULL, NULL);
	number = write_crl("newer.crl", pki.intermediate, pki.int_key,
	    "newer.db", fx.base_number, now - 30, now + DAY);
	snprintf(said, sizeof(said), "delta CRL #%u", number);
	for (int index = 0; index < 2; index++) {
		struct mtls_ctx *ctx = must_verify("\"base.crl\", "
		    "\"delta.crl\", \"newer.crl\"", "leaf", index);

		assert_refused(verify_crts(ctx, &fx.erin, 1, NULL),
		    MTLS_R_REVOKED, said);
		assert_accepted(verify_crts(ctx, &fx.bob, 1, NULL), index);
		/* and the hold is back: the newest delta does not lift it */
		assert_refused(verify_crts(ctx, &fx.carol, 1, NULL),
		    MTLS_R_REVOKED, "carol");
		mtls_ctx_free(ctx);
	}
}

/*
 * A delta CRL is read with a complete CRL of its scope, when there is
 * one it can be read with.  One that cannot be (of another scope than
 * the complete CRL's, of a newer complete CRL, or without any) adds no
 * coverage, but what it lists as revoked is revoked all the same, as on
 * any CRL that covers the certificate: were bob only not covered
 * (crl-missing) or the CRL out of date (crl-stale), a method after "crl"
 * (OCSP) could still let him in, and with a complete CRL of another
 * scope nothing would keep him out.
 */
static void
delta_that_cannot_be_read_still_revokes(void **state)
{
	static const char *const crls[] = {
		"\"base.crl\", \"users.crl\"",
		"\"base.crl\", \"later.crl\"",
		"\"delta.crl\"",
	};
	time_t now = time(NULL);
	unsigned numbers[3];
	char said[64];

	(void)state;
	numbers[0] = write_crl_with("users.crl", pki.intermediate, pki.int_key,
	    "delta.db", fx.base_number, "issuingDistributionPoint = "
	    "critical, @idp\n[idp]\nonlyuser = TRUE\n", now - 60, now + DAY);
	numbers[1] = write_crl("later.crl", pki.intermediate, pki.int_key,
	    "delta.db", fx.base_number + 1000, now - 60, now + DAY);
	numbers[2] = fx.delta_number;
	for (int index = 0; index < 2; index++)
		for (size_t i = 0; i < 3; i++) {
			struct mtls_ctx *ctx = must_verify(crls[i], "leaf",
			    index);

			snprintf(said, sizeof(said), "delta CRL #%u",
			    numbers[i]);
			assert_refused(verify_crts(ctx, &fx.bob, 1, NULL),
			    MTLS_R_REVOKED, said);
			/* what it takes off is not taken off */
			if (i == 0)
				assert_refused(verify_crts(ctx, &fx.carol, 1,
				    NULL), MTLS_R_REVOKED, "carol");
			mtls_ctx_free(ctx);
		}
}

/*
 * RFC 5280, 5.2.3: of a CA's complete CRLs of one scope and key, the
 * highest CRL number is the newest, whatever its thisUpdate says.  A CA
 * whose clock ran ahead and was set right publishes its next complete
 * CRL dated before the last one, and its delta CRLs count from that
 * next one: were the complete CRL chosen by thisUpdate, the delta CRL
 * would find it out of date (crl-stale) for every certificate.  The
 * update publishes the higher number over the lower.
 */
static void
highest_crl_number_is_the_newest_complete_crl(void **state)
{
	time_t now = time(NULL);
	char said[64], read[128];
	unsigned ahead, back, number;

	(void)state;
	ahead = write_crl("clock-ahead.crl", pki.intermediate, pki.int_key,
	    "base.db", 0, now - 60, now + 7 * DAY);
	back = write_crl("clock-back.crl", pki.intermediate, pki.int_key,
	    "base.db", 0, now - 3600, now + 7 * DAY);
	number = write_crl("clock-back-delta.crl", pki.intermediate,
	    pki.int_key, "delta.db", back, now - 30, now + DAY);
	assert_true(back > ahead);
	snprintf(said, sizeof(said), "delta CRL #%u", number);
	snprintf(read, sizeof(read), "complete CRL #%u and delta CRL #%u",
	    back, number);
	for (int index = 0; index < 2; index++) {
		struct mtls_ctx *ctx = must_verify("\"clock-ahead.crl\", "
		    "\"clock-back.crl\", \"clock-back-delta.crl\"", "leaf",
		    index);

		if (index)
			assert_int_equal(fx.updated, 0);
		assert_true(noted(verify_crts(ctx, &pki.leaf, 1, NULL), read));
		assert_refused(verify_crts(ctx, &fx.bob, 1, NULL),
		    MTLS_R_REVOKED, said);
		assert_accepted(verify_crts(ctx, &fx.carol, 1, NULL), index);
		mtls_ctx_free(ctx);
	}
}

/* The CRL of file with its signature spoilt, as name (DER). */
static void
forge(const char *file, const char *name)
{
	gnutls_x509_crl_t crl;
	gnutls_datum_t pem, der;

	assert_int_equal(gnutls_load_file(tpki_path(file), &pem), 0);
	assert_int_equal(gnutls_x509_crl_init(&crl), 0);
	assert_int_equal(gnutls_x509_crl_import(crl, &pem,
	    GNUTLS_X509_FMT_PEM), 0);
	assert_int_equal(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER,
	    &der), 0);
	/* the last octet of the signature's s */
	der.data[der.size - 1] ^= 0x01;
	tpki_write_data(tpki_path(name), der.data, der.size);
	gnutls_free(der.data);
	gnutls_free(pem.data);
	gnutls_x509_crl_deinit(crl);
}

/*
 * A delta CRL its CA's key did not sign is refused, as a complete CRL
 * is; one signed by another key of the CA's name, or by another CA,
 * speaks not for this CA's certificates.
 */
static void
delta_of_another_key_or_issuer_refused(void **state)
{
	gnutls_x509_crt_t namesake = tpki_new("CN=Test Intermediate",
	    fx.other_key, 0);
	gnutls_x509_crt_t other = tpki_new("CN=Other Intermediate",
	    fx.other_key, 0);
	time_t now = time(NULL);
	char err[1024];

	(void)state;
	tpki_make_ca(namesake, 0);
	tpki_sign(namesake, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	tpki_make_ca(other, 0);
	tpki_sign(other, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	forge("delta.crl", "forged.crl");
	write_crl("namesake.crl", namesake, fx.other_key, "delta.db",
	    fx.base_number, now - 60, now + DAY);
	write_crl("other.crl", other, fx.other_key, "delta.db",
	    fx.base_number, now - 60, now + DAY);
	for (int index = 0; index < 2; index++) {
		struct mtls_ctx *ctx = verifier("\"base.crl\", "
		    "\"forged.crl\"", "leaf", index, err, sizeof(err));

		assert_null(ctx);
		assert_contains(err, "forged.crl");
		assert_contains(err, "signature does not match");
		ctx = must_verify("\"base.crl\", \"namesake.crl\", "
		    "\"other.crl\"", "leaf", index);
		assert_accepted(verify_crts(ctx, &fx.bob, 1, NULL), index);
		mtls_ctx_free(ctx);
	}
	tpki_free(namesake);
	tpki_free(other);
}

/* What "mtls config check" warns of delta CRLs, from files or index. */
static void
assert_remarks(const char *crls, bool index, const char *expected)
{
	struct strlist remarks = { NULL, 0 };
	struct mtls_ctx *ctx = must_verify(crls, "leaf", index);

	assert_int_equal(ctx_crl_delta_remarks(ctx, &remarks), 0);
	if (expected == NULL && remarks.count > 0)
		fail_msg("unexpected: %s", remarks.items[0]);
	if (expected != NULL) {
		assert_int_equal(remarks.count, 1);
		assert_contains(remarks.items[0], expected);
	}
	strlist_clear(&remarks);
	mtls_ctx_free(ctx);
}

/*
 * RFC 5280, 5.2.4: a CA signs a delta CRL with the key of the complete
 * CRL it updates.  After a renewal of the intermediate's key, a delta
 * CRL of the new key, its BaseCRLNumber that of the old key's complete
 * CRL, is not read with it: both keys may sign the CA's CRLs, but they
 * are two series.  What the delta CRL revokes is revoked all the same
 * (bob), yet it lifts no hold of the other key's complete CRL (carol),
 * and a stale complete CRL stays stale beside it.  The update and
 * "mtls config check" say why the delta CRL counts for so little.
 */
static void
delta_of_another_key_of_the_ca_is_not_read_with_the_base(void **state)
{
	gnutls_x509_crt_t both[2] = { pki.intermediate,
	    tpki_new("CN=Test Intermediate", fx.other_key, 0) };
	time_t now = time(NULL);
	char said[64];
	unsigned number, stale;

	(void)state;
	tpki_make_ca(both[1], 0);
	tpki_sign(both[1], pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	tpki_write(tpki_path("intermediate.pem"), both, 2);
	number = write_crl("rekeyed.crl", both[1], fx.other_key, "delta.db",
	    fx.base_number, now - 30, now + DAY);
	stale = write_crl("old-base.crl", pki.intermediate, pki.int_key,
	    "base.db", 0, now - 3 * DAY, now - 2 * DAY);
	write_crl("rekeyed-old.crl", both[1], fx.other_key, "delta.db", stale,
	    now - 30, now + DAY);
	snprintf(said, sizeof(said), "delta CRL #%u", number);
	for (int index = 0; index < 2; index++) {
		struct mtls_ctx *ctx = must_verify("\"base.crl\", "
		    "\"rekeyed.crl\"", "leaf", index);

		if (index)
			assert_int_equal(fx.updated, 1);
		assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), index);
		assert_refused(verify_crts(ctx, &fx.bob, 1, NULL),
		    MTLS_R_REVOKED, said);
		assert_refused(verify_crts(ctx, &fx.carol, 1, NULL),
		    MTLS_R_REVOKED, "carol");
		mtls_ctx_free(ctx);

		ctx = must_verify("\"old-base.crl\", \"rekeyed-old.crl\"",
		    "leaf", index);
		assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
		    MTLS_R_CRL_STALE, "expired at");
		mtls_ctx_free(ctx);
		assert_remarks("\"base.crl\", \"rekeyed.crl\"", index,
		    "was signed with another key of its CA than its complete "
		    "CRLs");
	}
	tpki_write(tpki_path("intermediate.pem"), &pki.intermediate, 1);
	tpki_free(both[1]);
}

/* The intermediate again, naming its issuer's delta CRLs as AD CS does. */
static gnutls_x509_crt_t
intermediate_naming_deltas(void)
{
	gnutls_x509_crt_t crt = tpki_new("CN=Test Intermediate", pki.int_key,
	    0);

	tpki_make_ca(crt, 0);
	tpki_set_freshest_crl(crt, FRESHEST);
	tpki_sign(crt, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	return crt;
}

/*
 * mtls config check warns of a delta CRL without its complete CRL, of a
 * complete CRL or a configured CA certificate naming delta CRLs
 * (freshestCRL, as AD CS writes them) when none is configured, and of
 * nothing when the delta CRL is there too.
 */
static void
config_check_warns_of_missing_crls(void **state)
{
	gnutls_x509_crt_t naming = intermediate_naming_deltas();
	gnutls_x509_crl_t root_crl;
	time_t now = time(NULL);
	char expected[256];

	(void)state;
	write_crl_with("named.crl", pki.intermediate, pki.int_key,
	    "base.db", 0, "freshestCRL = URI:" FRESHEST "\n", now - 60,
	    now + 7 * DAY);
	root_crl = tpki_crl(pki.root, pki.root_key, NULL, 0, now - 60,
	    now + DAY);
	tpki_write_crl(tpki_path("root.crl"), root_crl);
	gnutls_x509_crl_deinit(root_crl);
	snprintf(expected, sizeof(expected), "the delta CRL #%u from "
	    "'CN=Test Intermediate'", fx.delta_number);
	for (int index = 0; index < 2; index++) {
		assert_remarks("\"delta.crl\"", index, expected);
		assert_remarks("\"named.crl\"", index, "the CRL from 'CN=Test "
		    "Intermediate' (");
		assert_remarks("\"named.crl\", \"delta.crl\"", index, NULL);
		assert_remarks("\"base.crl\", \"root.crl\"", index, NULL);
	}
	tpki_write(tpki_path("intermediate.pem"), &naming, 1);
	for (int index = 0; index < 2; index++)
		assert_remarks("\"base.crl\", \"root.crl\"", index,
		    "configured CA certificate 'CN=Test Intermediate' names "
		    "delta CRLs of its issuer 'CN=Test Root'");
	tpki_write(tpki_path("intermediate.pem"), &pki.intermediate, 1);
	tpki_free(naming);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delta_combines_with_its_base),
		cmocka_unit_test(delta_alone_fails_closed),
		cmocka_unit_test(delta_of_a_newer_base_is_not_used),
		cmocka_unit_test(stale_delta_is_stale),
		cmocka_unit_test(newest_delta_decides),
		cmocka_unit_test(delta_that_cannot_be_read_still_revokes),
		cmocka_unit_test(highest_crl_number_is_the_newest_complete_crl),
		cmocka_unit_test(delta_of_another_key_or_issuer_refused),
		cmocka_unit_test(
		    delta_of_another_key_of_the_ca_is_not_read_with_the_base),
		cmocka_unit_test(config_check_warns_of_missing_crls),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
