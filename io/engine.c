/* Placeholder until the query engine lands (issue 4). */
#include "io/io.h"
