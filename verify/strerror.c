/* Messages for the negative error codes of verify/ (the enum in verify.h). */
#include "verify/verify.h"
#include "text/text.h"

/* The text of each VERIFY_E* code; other negative values are -errno. */
static const text_code_t verify_errors[] = {
    {VERIFY_OK, "success"},
    {VERIFY_ENOMEM, "out of memory"},
    {VERIFY_EINVAL, "invalid argument"},
    {VERIFY_ECRYPTO, "cryptographic library failure"},
    {VERIFY_EUNSUPPORTED, "unsupported algorithm or digest"},
};

const char *verify_strerror(int err)
{
    return text_strerror(verify_errors, sizeof verify_errors / sizeof verify_errors[0], err,
                         "unknown verify error");
}
