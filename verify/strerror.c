/* Messages for the negative error codes of verify/ (the enum in verify.h). */
#include "verify/verify.h"

#include <string.h>

const char *verify_strerror(int err)
{
    switch (err) {
    case VERIFY_OK:
        return "success";
    case VERIFY_ENOMEM:
        return "out of memory";
    case VERIFY_EINVAL:
        return "invalid argument";
    case VERIFY_ECRYPTO:
        return "cryptographic library failure";
    case VERIFY_EUNSUPPORTED:
        return "unsupported algorithm or digest";
    }
    if (err < 0 && err > -4096 && strerrordesc_np(-err))
        return strerrordesc_np(-err);
    return "unknown verify error";
}
