// Compile-time benchmark TU: examples/quickstart/main.cpp itself (included, not copied, so the figure
// follows the example as it changes).
#include "../../examples/quickstart/main.cpp"
