/* Placeholder until the store lands (issue 6). */
#include "results/results.h"
