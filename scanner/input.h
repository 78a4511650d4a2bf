/* Private to scanner/: the streaming domain-list reader (cli.md "Input"). */
#ifndef DNSSWEEP_SCANNER_INPUT_H
#define DNSSWEEP_SCANNER_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Longest accepted presentation name without the trailing dot (RFC 1035 §2.3.4 / cli.md). */
#define SCANNER_NAME_MAX 253
/* Lines longer than this cannot hold a valid name, even as U-labels; they are skipped whole. */
#define SCANNER_LINE_MAX 4096

typedef struct scanner_input scanner_input_t;

typedef enum scanner_input_kind {
    SCANNER_INPUT_EOF = 0,
    SCANNER_INPUT_NAME = 1, /* item->name holds a valid, folded A-label name */
    SCANNER_INPUT_BAD = 2,  /* item->error says why line item->line was skipped */
} scanner_input_kind_t;

typedef struct scanner_input_item {
    char name[SCANNER_NAME_MAX + 1];
    char error[160];
    uint64_t line;
} scanner_input_item_t;

/* Opens PATH ("-" or NULL = stdin) for reading. Returns 0, or -errno. Caller frees. */
int scanner_input_open(const char *path, scanner_input_t **out);
/* Reads from fp, which stays the caller's (not closed by scanner_input_free). Returns 0 or
 * -ENOMEM. Caller frees. Used by tests and the fuzz harness to read from memory. */
int scanner_input_open_fp(FILE *fp, scanner_input_t **out);
void scanner_input_free(scanner_input_t *in);

/* Reads the next meaningful line. Returns a scanner_input_kind_t, or -errno on a read error
 * (-EBADMSG for truncated or corrupt gzip data); then item->line is the line being read and
 * item->error says what failed. A gzip-compressed list (magic 1f 8b) is inflated on the fly.
 * Memory use is bounded by SCANNER_LINE_MAX whatever the input holds. */
int scanner_input_next(scanner_input_t *in, scanner_input_item_t *item);

/* Validates and normalises one name (no comments or blanks expected). Returns 0 and fills
 * out (lower-case A-labels, no trailing dot), or -1 with a message in error. */
int scanner_name_normalise(const char *text, size_t len, char out[SCANNER_NAME_MAX + 1],
                           char *error, size_t error_len);

/* The U-label form of a normalised name holding A-labels ("xn--bcher-kva.test" ->
 * "bücher.test", UTF-8) into out: 1 when there is one, 0 when the name has no A-label or is not
 * a valid IDNA 2008 name (out then empty). */
int scanner_name_ulabel(const char *name, char *out, size_t len);

/* For a name given as a U-label or holding A-labels: one line saying both forms, e.g.
 * "bücher.test is xn--bcher-kva.test (IDNA 2008 A-label)", on out. Nothing for plain names. */
void scanner_name_print_idn(FILE *out, const char *given, const char *name);

/* The gzip layer of a domain list (input_gz.c), used by scanner_input_open when the content
 * starts with the gzip magic (1f 8b). first: bytes already read from fp (the magic). */
typedef struct scanner_gz scanner_gz_t;
enum { SCANNER_GZ_EOF = -1, SCANNER_GZ_ERROR = -2 };
int scanner_gz_new(FILE *fp, const unsigned char *first, size_t n_first, scanner_gz_t **out);
void scanner_gz_free(scanner_gz_t *g);
/* The next inflated byte (0..255), SCANNER_GZ_EOF, or SCANNER_GZ_ERROR (then scanner_gz_error
 * says what, with the compressed offset: truncated or corrupt data, or a read error). */
int scanner_gz_getc(scanner_gz_t *g);
const char *scanner_gz_error(const scanner_gz_t *g);

/* Stable shard of a normalised name: 1..n (FNV-1a 64, independent of platform and run). */
unsigned scanner_shard_of(const char *name, unsigned n);

#endif
