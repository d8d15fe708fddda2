// The bytes of a pricing table, for the on-disk table cache (host/table_cache.h).
// Each table lists its fields once, in a static `transfer(self, io)` that a
// TableArchiveWriter (which appends them) and a TableArchiveReader (which fills them back)
// both drive, so the two directions cannot drift apart. The bytes are this
// build's memory layout: the cache key names the build (its sources, compiler
// and instruction set), so a file is only ever read by the build that wrote it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace condor {

class TableArchiveWriter {
public:
    template <class T>
    void operator()(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>, "tables hold plain data");
        append(&value, sizeof value);
    }
    template <class T>
    void operator()(const std::vector<T>& values) {
        static_assert(std::is_trivially_copyable_v<T>, "tables hold plain data");
        const std::uint64_t count = values.size();
        append(&count, sizeof count);
        append(values.data(), count * sizeof(T));
    }
    const std::string& bytes() const { return bytes_; }

private:
    void append(const void* data, std::size_t size) { bytes_.append(static_cast<const char*>(data), size); }
    std::string bytes_;
};

// Reads what a TableArchiveWriter wrote; throws std::runtime_error past the end.
class TableArchiveReader {
public:
    explicit TableArchiveReader(std::string_view bytes) : bytes_(bytes) {}

    template <class T>
    void operator()(T& value) {
        static_assert(std::is_trivially_copyable_v<T>, "tables hold plain data");
        take(&value, sizeof value);
    }
    template <class T>
    void operator()(std::vector<T>& values) {
        static_assert(std::is_trivially_copyable_v<T>, "tables hold plain data");
        std::uint64_t count = 0;
        take(&count, sizeof count);
        if (count > (bytes_.size() - position_) / sizeof(T)) throw std::runtime_error("table data truncated");
        values.resize(count);
        take(values.data(), count * sizeof(T));
    }
    bool at_end() const { return position_ == bytes_.size(); }

private:
    void take(void* data, std::size_t size) {
        if (size > bytes_.size() - position_) throw std::runtime_error("table data truncated");
        std::memcpy(data, bytes_.data() + position_, size);
        position_ += size;
    }
    std::string_view bytes_;
    std::size_t position_ = 0;
};

}  // namespace condor
