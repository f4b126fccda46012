#pragma once
// Policy-set machinery: a list of slot bindings (with_cache<lru>, with_retry<...>, ...) in any order
// becomes a Boost.Hana map from slot tag to policy type. Slots not named take the default the caller gives.
// This header knows no slot in particular; agent/slots.hpp declares them.
#include <agentkit/core/none.hpp>

#include <boost/hana/at_key.hpp>
#include <boost/hana/contains.hpp>
#include <boost/hana/count.hpp>
#include <boost/hana/find.hpp>
#include <boost/hana/map.hpp>
#include <boost/hana/optional.hpp>
#include <boost/hana/pair.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include <cstddef>
#include <type_traits>

namespace agentkit {

namespace hana = boost::hana;

// Base of every slot binding: `with_cache<P>` is-a `slot_binding<slot::cache, P>`.
template <class Slot, class Policy>
struct slot_binding {
    using slot = Slot;
    using policy = Policy;
};

template <class T>
concept slot_binding_type = requires {
    typename T::slot;
    typename T::policy;
}
&&std::is_base_of_v<slot_binding<typename T::slot, typename T::policy>, T>;

namespace detail {

// Fires when an agent<...> argument is not a slot binding; the argument is named in the instantiation note.
template <class Argument>
struct assert_is_binding {
    static constexpr bool value = slot_binding_type<Argument>;
    static_assert(value,
                  "agentkit::agent<...>: every argument must be a slot binding such as with_cache<P>, "
                  "with_retry<P>, with_tokens<P>, with_compaction<P>, with_storage<P> or with_hooks<P>");
};

// Fires when one slot is bound twice; the slot is named in the instantiation note.
template <class Slot, std::size_t Count>
struct assert_bound_once {
    static constexpr bool value = Count <= 1;
    static_assert(value, "agentkit::agent<...>: a slot is given more than one policy; name each slot at most once");
};

struct not_a_slot {};
template <class B>
struct binding_of {  // maps a bad argument to a harmless binding, so one bad argument gives one error
    using slot = not_a_slot;
    using policy = none;
};
template <slot_binding_type B>
struct binding_of<B> {
    using slot = typename B::slot;
    using policy = typename B::policy;
};

}  // namespace detail

template <class... Bindings>
class policy_set {
    static constexpr bool arguments_ok = (detail::assert_is_binding<Bindings>::value && ...);
    static constexpr auto slot_list = hana::make_tuple(hana::type_c<typename detail::binding_of<Bindings>::slot>...);
    static constexpr bool each_once =
        (detail::assert_bound_once<typename detail::binding_of<Bindings>::slot,
                                   hana::value(hana::count(
                                       slot_list, hana::type_c<typename detail::binding_of<Bindings>::slot>))>::value &&
         ...);

    static constexpr auto make_map() {
        if constexpr (arguments_ok && each_once)
            return hana::make_map(
                hana::make_pair(hana::type_c<typename Bindings::slot>, hana::type_c<typename Bindings::policy>)...);
        else
            return hana::make_map();  // errors were reported above; keep the rest quiet
    }

public:
    static constexpr auto map = make_map();

    // True when the user bound `Slot` explicitly.
    template <class Slot>
    static constexpr bool binds = decltype(hana::contains(map, hana::type_c<Slot>))::value;

    // The policy bound to `Slot`, or `Default` when the slot was not named.
    template <class Slot, class Default>
    using get = typename std::remove_cvref_t<
        decltype(hana::find(map, hana::type_c<Slot>).value_or(hana::type_c<Default>))>::type;
};

}  // namespace agentkit
