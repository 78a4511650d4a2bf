/*
 * results/: the LMDB store of scans and per-domain verdicts; resume, diff, export, show.
 * Never includes ldns.
 */
#ifndef DNSSWEEP_RESULTS_H
#define DNSSWEEP_RESULTS_H

#endif
