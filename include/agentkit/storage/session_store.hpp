#pragma once
// storage::session_store — everything both shipped backends (storage::memory, storage::sqlite) provide,
// so code can switch between them. Code that needs less asks for less: message_store, kv_store,
// graph_store or store_maintenance.
#include <agentkit/storage/graph_store.hpp>
#include <agentkit/storage/kv_store.hpp>
#include <agentkit/storage/message_store.hpp>
#include <agentkit/storage/store_maintenance.hpp>

namespace agentkit::storage {

template <class B>
concept session_store = message_store<B> && kv_store<B> && graph_store<B> && store_maintenance<B>;

}  // namespace agentkit::storage
