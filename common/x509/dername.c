#include "dername.h"

#include <stdlib.h>
#include <string.h>

#include <libtasn1.h>

#include "dertlv.h"
#include "growbuf.h"
#include "utf8.h"

/* Universal tags of the string types compared as text (X.680). */
#define TAG_UTF8STRING 0x0c
#define TAG_PRINTABLESTRING 0x13
#define TAG_TELETEXSTRING 0x14
#define TAG_IA5STRING 0x16
#define TAG_VISIBLESTRING 0x1a
#define TAG_UNIVERSALSTRING 0x1c
#define TAG_BMPSTRING 0x1e

/* What preparation makes of a character that it drops. */
#define DROPPED 0xffffffffUL

/* A DER element of tag with the given contents, which are not in b. */
static void
put_tlv(struct growbuf *b, unsigned char tag, const unsigned char *content,
    size_t len)
{
	unsigned char length[ASN1_MAX_LENGTH_SIZE];
	int length_len = sizeof(length);

	asn1_length_der((unsigned long)len, length, &length_len);
	growbuf_put(b, &tag, 1);
	growbuf_put(b, length, (size_t)length_len);
	growbuf_put(b, content, len);
}

/* Latin Extended-A (U+0100..U+017F): mostly upper case even, lower odd. */
static unsigned long
fold_latin_extended_a(unsigned long c)
{
	if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149)
		return c;	/* dotted I, dotless i, kra, 'n: no simple fold */
	if (c == 0x178)
		return 0xff;
	if (c == 0x17f)
		return 's';	/* long s */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return c % 2 == 1 ? c + 1 : c;
	return c % 2 == 0 ? c + 1 : c;
}

/*
 * Unicode's simple case folding (CaseFolding.txt, status C and S) of the
 * scripts names are mostly written in here; other characters are kept.
 */
static unsigned long
fold_case(unsigned long c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f) || (c >= 0xff21 && c <= 0xff3a))
		return c + 0x20;
	if (c == 0xb5)
		return 0x3bc;	/* micro sign: Greek mu */
	if (c >= 0x100 && c <= 0x17f)
		return fold_latin_extended_a(c);
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 0x25;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 0x3f;
	if (c == 0x3c2)
		return 0x3c3;	/* final sigma */
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	if (c == 0x4c0)
		return 0x4cf;
	if (((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) ||
	    (c >= 0x4d0 && c <= 0x52f)) && c % 2 == 0)
		return c + 1;
	if (c >= 0x4c1 && c <= 0x4ce && c % 2 == 1)
		return c + 1;
	if (c >= 0x531 && c <= 0x556)
		return c + 0x30;
	return c;
}

/*
 * RFC 4518 2.2 (Map) and the case folding of 2.3: what is space becomes
 * ' ', what only controls or formats text is dropped.
 */
static unsigned long
prepare_char(unsigned long c)
{
	/* ASCII, what most names are written in, at once */
	if (c < 0x80) {
		if (c == ' ' || (c >= 0x09 && c <= 0x0d))
			return ' ';
		if (c < 0x20 || c == 0x7f)
			return DROPPED;
		return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
	}
	if ((c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000)
		return ' ';
	if (utf8_is_control(c) || c == 0xad || c == 0x34f || c == 0x1806 ||
	    (c >= 0x180b && c <= 0x180e) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2064) ||
	    (c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff || c == 0xfffc)
		return DROPPED;
	return fold_case(c);
}

enum value_kind {
	VALUE_TEXT,	/* a string type: compared prepared */
	VALUE_BYTES,	/* compared as encoded */
	VALUE_BAD	/* a string type it does not hold */
};

static enum value_kind
value_kind(const struct dertlv *v)
{
	switch (v->tag) {
	case TAG_UTF8STRING:
	case TAG_PRINTABLESTRING:
	case TAG_IA5STRING:
	case TAG_VISIBLESTRING:
		return VALUE_TEXT;
	case TAG_BMPSTRING:
		return v->len % 2 == 0 ? VALUE_TEXT : VALUE_BAD;
	case TAG_UNIVERSALSTRING:
		return v->len % 4 == 0 ? VALUE_TEXT : VALUE_BAD;
	case TAG_TELETEXSTRING:
		/* T.61 agrees with ASCII on its 7-bit characters; what its
		 * 8-bit ones mean depends on escapes and on the CA */
		for (size_t i = 0; i < v->len; i++)
			if (v->content[i] >= 0x80)
				return VALUE_BYTES;
		return VALUE_TEXT;
	default:
		return VALUE_BYTES;
	}
}

/*
 * The character at *i of a text value into *c, *i moved past it; false
 * when the value does not hold a character of its type there.
 */
static bool
next_char(const struct dertlv *v, size_t *i, unsigned long *c)
{
	const unsigned char *p = v->content + *i;
	size_t n;

	switch (v->tag) {
	case TAG_UTF8STRING:
		n = utf8_decode(p, v->len - *i, c);
		break;
	case TAG_BMPSTRING:
		*c = (unsigned long)p[0] << 8 | p[1];
		n = 2;
		break;
	case TAG_UNIVERSALSTRING:
		*c = (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
		    (unsigned long)p[2] << 8 | p[3];
		n = 4;
		break;
	default:	/* the ASCII types */
		*c = p[0];
		n = p[0] < 0x80 ? 1 : 0;
		break;
	}
	if (n == 0 || *c > 0x10ffff || (*c >= 0xd800 && *c <= 0xdfff))
		return false;
	*i += n;
	return true;
}

/* The prepared text of v into out, which is empty: UTF-8 without
 * leading, trailing or repeated spaces. */
static bool
prepare_text(const struct dertlv *v, struct growbuf *out)
{
	unsigned char utf8[4];
	unsigned long c;
	bool space = false;

	for (size_t i = 0; i < v->len;) {
		if (!next_char(v, &i, &c))
			return false;
		if ((c = prepare_char(c)) == DROPPED)
			continue;
		if (c == ' ') {
			space = true;
			continue;
		}
		if (space && out->len > 0)
			growbuf_put(out, " ", 1);
		space = false;
		growbuf_put(out, utf8, utf8_encode(c, utf8));
	}
	return true;
}

/*
 * The key of the AttributeTypeAndValue at *p, which ends by end, into
 * out: its type as it is, its value a UTF8String of the prepared text or
 * as encoded.  False when it is not one, or its value is not a string of
 * its type.
 */
static bool
prepare_attribute(const unsigned char **p, const unsigned char *end,
    struct growbuf *out)
{
	struct growbuf body = { NULL, 0, 0, false }, text = body;
	struct dertlv attr, type, value;
	const unsigned char *q;
	bool ok = false;

	if (dertlv_expect(p, end, DER_SEQUENCE, &attr) != 0)
		return false;
	q = attr.content;
	if (dertlv_expect(&q, attr.end, DER_OID, &type) != 0 ||
	    type.len == 0 || dertlv_next(&q, attr.end, &value) != 0 ||
	    q != attr.end)
		return false;
	growbuf_put(&body, type.start, (size_t)(type.end - type.start));
	switch (value_kind(&value)) {
	case VALUE_TEXT:
		if ((ok = prepare_text(&value, &text)))
			put_tlv(&body, TAG_UTF8STRING, text.p, text.len);
		break;
	case VALUE_BYTES:
		growbuf_put(&body, value.start, (size_t)(value.end - value.start));
		ok = true;
		break;
	case VALUE_BAD:
		break;
	}
	if (ok)
		put_tlv(out, DER_SEQUENCE, body.p, body.len);
	out->failed |= body.failed || text.failed;
	free(body.p);
	free(text.p);
	return ok;
}

/* One attribute's key within the keys of an RDN's. */
struct span {
	size_t at, len;
	const unsigned char *p;
};

static int
span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/*
 * The key of the RDN at *p into out: the keys of its attributes in the
 * order of their bytes, each once, so that one set has one key.
 */
static bool
prepare_rdn(const unsigned char **p, const unsigned char *end,
    struct growbuf *out)
{
	struct growbuf keys = { NULL, 0, 0, false }, body = keys;
	struct span *spans;
	struct dertlv set, attr;
	const unsigned char *q;
	size_t n = 0;
	bool ok = true;

	if (dertlv_expect(p, end, DER_SET, &set) != 0 || set.len == 0)
		return false;
	for (q = set.content; q < set.end; n++)
		if (dertlv_next(&q, set.end, &attr) != 0)
			return false;
	if ((spans = calloc(n, sizeof(*spans))) == NULL) {
		out->failed = true;
		return true;
	}
	q = set.content;
	for (size_t i = 0; ok && i < n; i++) {
		spans[i].at = keys.len;
		ok = prepare_attribute(&q, set.end, &keys);
		spans[i].len = keys.len - spans[i].at;
	}
	if (ok && !keys.failed) {
		for (size_t i = 0; i < n; i++)
			spans[i].p = keys.p + spans[i].at;
		qsort(spans, n, sizeof(*spans), span_cmp);
		for (size_t i = 0; i < n; i++)
			if (i == 0 || span_cmp(&spans[i - 1], &spans[i]) != 0)
				growbuf_put(&body, spans[i].p, spans[i].len);
		put_tlv(out, DER_SET, body.p, body.len);
	}
	out->failed |= keys.failed || body.failed;
	free(spans);
	free(keys.p);
	free(body.p);
	return ok;
}

int
dername_load(const unsigned char *der, size_t len, struct dername *out)
{
	const unsigned char *p = der, *end = der + len;
	struct growbuf key = { NULL, 0, 0, false };
	struct dertlv seq;
	bool ok;

	memset(out, 0, sizeof(*out));
	ok = dertlv_expect(&p, end, DER_SEQUENCE, &seq) == 0 && p == end;
	for (p = ok ? seq.content : end; ok && p < seq.end;)
		ok = prepare_rdn(&p, seq.end, &key);
	if (!ok) {
		key.len = 0;
		growbuf_put(&key, der, len);
	}
	if (!key.failed && key.p == NULL && (key.p = malloc(1)) == NULL)
		key.failed = true;
	if (key.failed) {
		free(key.p);
		return -1;
	}
	out->key = key.p;
	out->len = key.len;
	out->prepared = ok;
	return 0;
}

void
dername_free(struct dername *name)
{
	free(name->key);
	name->key = NULL;
	name->len = 0;
}

bool
dername_same(const struct dername *a, const struct dername *b)
{
	return a->prepared == b->prepared && a->len == b->len &&
	    memcmp(a->key, b->key, a->len) == 0;
}

/* A key is RDN keys one after another, each a whole DER element: one
 * key is a prefix of another only RDN by RDN. */
bool
dername_within(const struct dername *name, const struct dername *subtree)
{
	return name->prepared && subtree->prepared &&
	    subtree->len <= name->len &&
	    memcmp(name->key, subtree->key, subtree->len) == 0;
}

/*
 * The prepared text of a value, character by character, as
 * prepare_text() writes it: no leading, trailing or repeated spaces.
 */
struct prepared {
	const struct dertlv *v;
	size_t i;
	bool space;		/* a space is owed before the next character */
	bool started;		/* a character was given */
	unsigned long held;	/* given after the space owed, when not 0 */
};

/* The next character into *c: 1; 0 at the end; -1 when the value does not
 * hold a character of its type. */
static int
prepared_next(struct prepared *t, unsigned long *c)
{
	if (t->held != 0) {
		*c = t->held;
		t->held = 0;
		return 1;
	}
	while (t->i < t->v->len) {
		if (!next_char(t->v, &t->i, c))
			return -1;
		if ((*c = prepare_char(*c)) == DROPPED)
			continue;
		if (*c == ' ') {
			t->space = true;
			continue;
		}
		if (t->space && t->started) {
			t->held = *c;
			*c = ' ';
		}
		t->space = false;
		t->started = true;
		return 1;
	}
	return 0;
}

/* Whether two text values' prepared texts differ: 1 yes, 0 no, -1 when
 * one is not text of its type. */
static int
texts_differ(const struct dertlv *a, const struct dertlv *b)
{
	struct prepared x = { a, 0, false, false, 0 };
	struct prepared y = { b, 0, false, false, 0 };
	unsigned long cx = 0, cy = 0;
	int rx, ry;

	do {
		rx = prepared_next(&x, &cx);
		ry = prepared_next(&y, &cy);
		if (rx < 0 || ry < 0)
			return -1;
		if (rx != ry || (rx > 0 && cx != cy))
			return 1;
	} while (rx > 0);
	return 0;
}

/*
 * The attribute of an RDN of one attribute at *p, which ends by end, into
 * *type and *value; false when it is anything else.
 */
static bool
single_attribute(const unsigned char **p, const unsigned char *end,
    struct dertlv *type, struct dertlv *value)
{
	struct dertlv set, attr;
	const unsigned char *q;

	if (dertlv_expect(p, end, DER_SET, &set) != 0)
		return false;
	q = set.content;
	if (dertlv_expect(&q, set.end, DER_SEQUENCE, &attr) != 0 ||
	    q != set.end)
		return false;
	q = attr.content;
	return dertlv_expect(&q, attr.end, DER_OID, type) == 0 &&
	    type->len > 0 && dertlv_next(&q, attr.end, value) == 0 &&
	    q == attr.end;
}

/*
 * Whether the Names a and b differ, told without making their keys, as
 * most Names compared do: RDN by RDN while each has one attribute, until
 * the types, or the values of a kind (text prepared, or other encodings),
 * differ, or one Name ends first.  Their keys would differ there, or one
 * Name would have none, which makes them differ too.  False when that
 * cannot be told so: the keys decide.
 */
static bool
differ_at_once(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	const unsigned char *p = a->data, *q = b->data;
	const unsigned char *pend = p + a->size, *qend = q + b->size;
	struct dertlv x, y, xtype, ytype, xval, yval;

	if (dertlv_expect(&p, pend, DER_SEQUENCE, &x) != 0 ||
	    dertlv_expect(&q, qend, DER_SEQUENCE, &y) != 0)
		return false;
	for (p = x.content, q = y.content; p < x.end && q < y.end;) {
		if (!single_attribute(&p, x.end, &xtype, &xval) ||
		    !single_attribute(&q, y.end, &ytype, &yval))
			return false;
		if (xtype.len != ytype.len ||
		    memcmp(xtype.content, ytype.content, xtype.len) != 0)
			return true;
		if (value_kind(&xval) == VALUE_TEXT &&
		    value_kind(&yval) == VALUE_TEXT) {
			int differ = texts_differ(&xval, &yval);

			if (differ != 0)
				return differ > 0;
		} else if (value_kind(&xval) == VALUE_BYTES &&
		    value_kind(&yval) == VALUE_BYTES) {
			if (xval.end - xval.start != yval.end - yval.start ||
			    memcmp(xval.start, yval.start,
			    (size_t)(xval.end - xval.start)) != 0)
				return true;
		} else
			return false;
	}
	return (p < x.end) != (q < y.end);
}

bool
dername_equal(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	struct dername x, y;
	bool same = false;

	if (a->size == b->size && (a->size == 0 ||
	    memcmp(a->data, b->data, a->size) == 0))
		return true;
	if (differ_at_once(a, b))
		return false;
	if (dername_load(a->data, a->size, &x) != 0)
		return false;
	if (dername_load(b->data, b->size, &y) == 0) {
		same = dername_same(&x, &y);
		dername_free(&y);
	}
	dername_free(&x);
	return same;
}
