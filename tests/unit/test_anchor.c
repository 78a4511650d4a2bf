/* Root hints and trust anchors load from named.root / root.key files; bad files are named. */
#include "scanner/anchor.h"
#include "tests/tap.h"

#include <unistd.h>

static const char *write_temp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/dnssweep-anchor-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        return NULL;
    close(fd);
    return path;
}

int main(void)
{
    char err[256] = "";
    ldns_rr_list *list = NULL;
    const char *hints = write_temp("; comment\n"
                                   ".  3600000 NS a.root.lab.\n"
                                   "a.root.lab. 3600000 A 127.53.0.1\n"
                                   "a.root.lab. 3600000 AAAA ::1\n");
    is_int(scanner_load_root_hints(hints, &list, err, sizeof err), 0, "hints load (%s)", err);
    is_int(list ? ldns_rr_list_rr_count(list) : 0, 3, "NS, A and AAAA kept");
    ldns_rr_list_deep_free(list);
    unlink(hints);

    const char *anchor = write_temp(
        ". 172800 IN DNSKEY 257 3 13 "
        "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n"
        ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
    list = NULL;
    is_int(scanner_load_trust_anchor(anchor, &list, err, sizeof err), 0, "anchor loads (%s)", err);
    is_int(list ? ldns_rr_list_rr_count(list) : 0, 2, "DNSKEY and DS kept");
    ldns_rr_list_deep_free(list);
    unlink(anchor);

    const char *bad = write_temp(". IN DS 20326 8 2 E06D44\n. IN DS notanumber 8 2 00\n");
    list = NULL;
    is_int(scanner_load_trust_anchor(bad, &list, err, sizeof err), -1, "a bad anchor fails");
    ok(strstr(err, bad) && strstr(err, "line 2"), "the message names file and line: %s", err);
    unlink(bad);

    is_int(scanner_load_trust_anchor("/nonexistent/root.key", &list, err, sizeof err), -1,
           "a missing anchor file fails");
    ok(strstr(err, "No such file") != NULL, "and says why: %s", err);
    return tap_done();
}
