/*
 * The in-flight table: (socket or TCP connection, query ID) -> slot, for every try on the
 * wire. Open addressing with linear probing, sized at creation for max_in_flight at most 50%
 * full, so lookups on the receive path touch one or two cache lines and never allocate.
 */
#include "io/internal.h"

uint64_t io_key(uint32_t sock_or_conn, uint16_t qid)
{
    return ((uint64_t)sock_or_conn + 1) << 16 | qid;
}

static uint32_t key_home(const io_engine_t *e, uint64_t k)
{
    k ^= k >> 31;
    k *= 0x7fb5d329728ea185ULL;
    k ^= k >> 27;
    k *= 0x81dadef4bc2dd44dULL;
    k ^= k >> 33;
    return (uint32_t)k & e->inflight_mask;
}

io_slot_t *io_inflight_find(io_engine_t *e, uint64_t key)
{
    for (uint32_t j = key_home(e, key); e->inflight[j] != 0; j = (j + 1) & e->inflight_mask) {
        io_slot_t *q = io_slot_at(e, e->inflight[j] - 1);
        if (q->hkey == key)
            return q;
    }
    return NULL;
}

void io_inflight_add(io_engine_t *e, io_slot_t *q, uint64_t key)
{
    /* Sized for twice max_in_flight: a full table is a bug, and the probe below would spin. */
    assert(e->inflight_count < e->inflight_mask);
    uint32_t j = key_home(e, key);
    while (e->inflight[j] != 0)
        j = (j + 1) & e->inflight_mask;
    e->inflight[j] = q->index + 1;
    q->hkey = key;
    e->inflight_count++;
}

void io_inflight_del(io_engine_t *e, io_slot_t *q)
{
    uint32_t mask = e->inflight_mask, i = key_home(e, q->hkey);
    while (e->inflight[i] != q->index + 1) {
        assert(e->inflight[i] != 0); /* only a query in the table is deleted from it */
        i = (i + 1) & mask;
    }
    e->inflight[i] = 0;
    /* Backward-shift deletion keeps linear probing chains intact without tombstones. */
    for (uint32_t j = (i + 1) & mask; e->inflight[j] != 0; j = (j + 1) & mask) {
        uint32_t k = key_home(e, io_slot_at(e, e->inflight[j] - 1)->hkey);
        bool movable = (j > i) ? (k <= i || k > j) : (k <= i && k > j);
        if (movable) {
            e->inflight[i] = e->inflight[j];
            e->inflight[j] = 0;
            i = j;
        }
    }
    q->hkey = 0;
    e->inflight_count--;
}
