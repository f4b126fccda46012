// expect: calibrated_estimator<E>: no estimator_coefficients<E>
#include <agentkit/text/calibrated_estimator.hpp>

agentkit::text::calibrated_estimator<agentkit::text::cl100k> ok;

#ifdef AGENTKIT_COMPILE_FAIL
struct p50k {};
agentkit::text::calibrated_estimator<p50k> bad;
#endif
int main() {}
