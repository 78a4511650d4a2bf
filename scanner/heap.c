/*
 * glibc's heap tuning for a scan. A KeyTrap answer (CVE-2023-50387: hundreds of DNSKEYs or
 * RRSIGs, up to 64 KB over TCP) is parsed into one block of about four times its size
 * (io_answer_parse()), above glibc's initial mmap threshold (128 KB): each block was mapped and
 * unmapped, or, once glibc raised that threshold, came from the heap and went back to the system
 * with the next trim of the heap top. Either way every page of every such answer was a fresh
 * page fault and a cleared page, some 170 per KeyTrap domain (200 such domains in 20,000:
 * 42,000 minor faults, 8,000 with these settings). With the blocks
 * always on the heap and a few MB kept at its top, the next domain's answers reuse those pages.
 * Peak RSS does not change (the pages kept were in use at the peak); at most the trim threshold
 * stays mapped per malloc arena after a burst.
 */
#include "scanner/internal.h"

#include <malloc.h>

/* Above the largest block an answer can need (4 x 65,535 + 512 bytes). */
#define HEAP_MMAP_THRESHOLD (1 << 20)
/* A few KeyTrap domains' answers (each about 1.3 MB of blocks). */
#define HEAP_TRIM_THRESHOLD (4 << 20)

void scan_heap_tune(void)
{
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    /* Best effort: without it a scan is slower, never wrong. */
    (void)mallopt(M_MMAP_THRESHOLD, HEAP_MMAP_THRESHOLD);
    (void)mallopt(M_TRIM_THRESHOLD, HEAP_TRIM_THRESHOLD);
#endif
}
