/* Placeholder until the scan pipeline lands (issue 5). */
#include "scanner/scanner.h"
