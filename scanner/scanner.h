/*
 * scanner/: the per-domain state machine that ties io/, verify/ and results/ together, and the
 * dnssweep command line.
 */
#ifndef DNSSWEEP_SCANNER_H
#define DNSSWEEP_SCANNER_H

#endif
