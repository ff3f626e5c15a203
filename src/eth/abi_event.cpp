#include "eth/abi_event.hpp"

#include "base/hex.hpp"
#include "eth/abi.hpp"
#include "eth/keccak.hpp"

namespace dossier::eth::abi {
namespace {

/// The spec's "encoding of indexed event parameters" for a value nested in an array or tuple.
void in_place(Bytes& out, const Type& t, const Value& v) {
    switch (t.kind) {
        case Type::Kind::Bytes:
        case Type::Kind::String: {
            const ByteView b = t.kind == Type::Kind::Bytes ? ByteView{v.as_bytes()} : as_bytes(v.as_string());
            append(out, b);
            out.resize(out.size() + (32 - b.size() % 32) % 32, 0);
            return;
        }
        case Type::Kind::Array:
        case Type::Kind::FixedArray:
        case Type::Kind::Tuple: {
            check_value(t, v);
            const Value::List& items = v.as_list();
            for (std::size_t i = 0; i < items.size(); ++i)
                in_place(out, t.kind == Type::Kind::Tuple ? t.children[i] : t.element(), items[i]);
            return;
        }
        default: {
            const Type one[] = {t};
            const Value val[] = {v};
            append(out, encode(one, val));
        }
    }
}

}  // namespace

Bytes32 event_topic(std::string_view signature) {
    return keccak256(as_bytes(Signature::parse(signature).canonical()));
}

Bytes32 topic_of(const Type& type, const Value& value) {
    Bytes enc;
    if (type.kind == Type::Kind::Bytes) enc = value.as_bytes();
    else if (type.kind == Type::Kind::String) enc.assign(value.as_string().begin(), value.as_string().end());
    else in_place(enc, type, value);
    if (type.is_value_type()) {
        Bytes32 w{};
        std::copy(enc.begin(), enc.end(), w.begin());
        return w;
    }
    return keccak256(enc);
}

std::vector<Value> decode_log(std::string_view signature, const std::vector<bool>& indexed,
                              const std::vector<Bytes32>& topics, ByteView data) {
    const Signature sig = Signature::parse(signature);
    if (indexed.size() != sig.params.size())
        throw AbiError("event " + sig.canonical() + " has " + std::to_string(sig.params.size()) +
                       " parameters but " + std::to_string(indexed.size()) + " indexed flags were given");
    std::vector<Type> data_types;
    std::size_t n_indexed = 0;
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        if (indexed[i]) ++n_indexed;
        else data_types.push_back(sig.params[i].type);
    }
    if (topics.size() != n_indexed + 1)
        throw AbiError("a log of " + sig.canonical() + " has " + std::to_string(n_indexed + 1) + " topics, got " +
                       std::to_string(topics.size()));
    if (topics[0] != keccak256(as_bytes(sig.canonical())))
        throw AbiError("log topic0 " + to_hex(topics[0]) + " is not the topic of " + sig.canonical());
    std::vector<Value> data_values;
    try {
        data_values = decode(data_types, data);
    } catch (const AbiError& e) {
        throw AbiError("data of a " + sig.name + " log: " + e.what());
    }
    std::vector<Value> out;
    out.reserve(sig.params.size());
    std::size_t next_topic = 1, next_data = 0;
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
        const Type& t = sig.params[i].type;
        if (!indexed[i]) {
            out.push_back(std::move(data_values[next_data++]));
            continue;
        }
        const Bytes32& topic = topics[next_topic++];
        if (!t.is_value_type()) {
            out.push_back(Value::fixed_bytes(Bytes(topic.begin(), topic.end())));
            continue;
        }
        try {
            out.push_back(decode(std::span<const Type>(&t, 1), topic).at(0));
        } catch (const AbiError& e) {
            throw AbiError("topic " + std::to_string(next_topic - 1) + " of a " + sig.name + " log: " + e.what());
        }
    }
    return out;
}

std::vector<Value> decode_log(std::string_view declaration, const std::vector<Bytes32>& topics, ByteView data) {
    const Signature sig = Signature::parse(declaration);
    std::vector<bool> indexed;
    for (const Param& p : sig.params) indexed.push_back(p.indexed);
    return decode_log(declaration, indexed, topics, data);
}

}  // namespace dossier::eth::abi
