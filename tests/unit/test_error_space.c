/* One error space: every module's error codes are distinct within the module, a code errno has
 * a name for is exactly -errno, the others sit in the module's own range (outside -errno, LMDB's
 * codes and the other modules' ranges), and each module's strerror names its own codes and any
 * -errno (what scanner/ returns) alike. */
#include "io/io.h"
#include "results/results.h"
#include "tests/tap.h"
#include "verify/verify.h"

#include <lmdb.h>

struct code {
    int value;
    const char *name;
    int mirrors; /* the errno it is the negative of, or 0: a code of the module's own range */
};

#define CODE(c, e)                                                                                 \
    {                                                                                              \
        c, #c, e                                                                                   \
    }

static const struct code io_codes[] = {
    CODE(IO_EINVAL, EINVAL),      CODE(IO_ENOMEM, ENOMEM),
    CODE(IO_ETIMEOUT, ETIMEDOUT), CODE(IO_EREFUSED_PORT, ECONNREFUSED),
    CODE(IO_EMALFORMED, 0),       CODE(IO_ECANCELLED, ECANCELED),
    CODE(IO_ENETWORK, 0),         CODE(IO_ECLOSING, 0),
    CODE(IO_ENOTFOUND, ENOENT),   CODE(IO_ESYSTEM, 0),
    CODE(IO_ENOFILES, EMFILE),
};
static const struct code verify_codes[] = {
    CODE(VERIFY_ENOMEM, ENOMEM),
    CODE(VERIFY_EINVAL, EINVAL),
    CODE(VERIFY_ECRYPTO, 0),
    CODE(VERIFY_EUNSUPPORTED, ENOTSUP),
};
static const struct code results_codes[] = {
    CODE(RESULTS_ENOMEM, ENOMEM), CODE(RESULTS_EINVAL, EINVAL),    CODE(RESULTS_EIO, EIO),
    CODE(RESULTS_EACCES, EACCES), CODE(RESULTS_ENOSPC, ENOSPC),    CODE(RESULTS_ESCHEMA, 0),
    CODE(RESULTS_EEXIST, EEXIST), CODE(RESULTS_ENOTFOUND, ENOENT), CODE(RESULTS_ECORRUPT, 0),
    CODE(RESULTS_EFINISHED, 0),   CODE(RESULTS_EREADONLY, EROFS),  CODE(RESULTS_EBUSY, EBUSY),
    CODE(RESULTS_ENFILE, EMFILE), CODE(RESULTS_EREMOTE, 0),        CODE(RESULTS_EINUSE, 0),
};

/* A module's own codes lie in [base - 99, base - 1]. */
static void check_module(const char *module, const struct code *codes, size_t n, int base,
                         const char *(*name)(int), const char *unknown)
{
    for (size_t i = 0; i < n; i++) {
        int v = codes[i].value;
        bool dup = false;
        for (size_t j = 0; j < i; j++)
            dup |= codes[j].value == v;
        ok(v < 0 && !dup, "%s = %d is negative and unique in %s", codes[i].name, v, module);
        if (codes[i].mirrors)
            is_int(v, -codes[i].mirrors, "%s is -%s", codes[i].name,
                   strerrorname_np(codes[i].mirrors));
        else
            ok(v < base && v >= base - 99 && (v < MDB_KEYEXIST || v > MDB_LAST_ERRCODE),
               "%s is in %s's own range [%d, %d], outside LMDB's codes", codes[i].name, module,
               base - 99, base - 1);
        ok(strcmp(name(v), unknown) != 0, "%s has a message: %s", codes[i].name, name(v));
    }
    is_str(name(-EPIPE), strerrordesc_np(EPIPE), "%s names a -errno it does not define (-EPIPE)",
           module);
    is_str(name(base - 98), unknown, "%s says unknown for an unused code of its range", module);
}

int main(void)
{
    check_module("io", io_codes, sizeof io_codes / sizeof io_codes[0], IO_ERRBASE, io_strerror,
                 "unknown io error");
    check_module("verify", verify_codes, sizeof verify_codes / sizeof verify_codes[0],
                 VERIFY_ERRBASE, verify_strerror, "unknown verify error");
    check_module("results", results_codes, sizeof results_codes / sizeof results_codes[0],
                 RESULTS_ERRBASE, results_strerror, "unknown results error");
    ok(IO_ERRBASE - 99 > VERIFY_ERRBASE && VERIFY_ERRBASE - 99 > RESULTS_ERRBASE &&
           RESULTS_ERRBASE - 99 > -32768 && IO_ERRBASE < MDB_KEYEXIST,
       "the ranges io [%d..], verify [%d..], results [%d..] do not overlap, nor LMDB's [%d, %d]",
       IO_ERRBASE - 1, VERIFY_ERRBASE - 1, RESULTS_ERRBASE - 1, MDB_KEYEXIST, MDB_LAST_ERRCODE);
    return tap_done();
}
