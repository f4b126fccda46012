#pragma once
// metric_registry, declared only; and the concept a part's attach_metrics takes it by:
//   template <observe::registry Registry>
//   void attach_metrics(Registry& registry, std::string_view instance = "<part default>");
// which accepts exactly an observe::metric_registry. Spelled as a template, attach_metrics is compiled only
// where it is called, so a part that is never attached includes none of metric_registry.hpp (whoever owns
// a registry includes it) and a hot path that reports pays just a pointer test until then.
#include <concepts>

namespace agentkit::observe {

class metric_registry;

template <class R>
concept registry = std::same_as<R, metric_registry>;

}  // namespace agentkit::observe
