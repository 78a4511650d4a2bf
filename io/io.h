/*
 * io/: the libuv query engine. Knows packets and servers, nothing of DNSSEC meaning.
 * Runs on the caller's libuv loop (main thread).
 */
#ifndef DNSSWEEP_IO_H
#define DNSSWEEP_IO_H

#endif
