// Reads every dataset and attribute of an HDF5 file as raw bytes, so tests can
// demand bit-identical results.
#pragma once

#include <hdf5.h>

#include <map>
#include <string>
#include <vector>

namespace condor::test {

using H5Contents = std::map<std::string, std::vector<unsigned char>>;  // "/path" or "/path@attr" -> bytes

namespace detail {

inline std::vector<unsigned char> read_attribute(hid_t attr) {
    const hid_t type = H5Aget_type(attr);
    const hid_t space = H5Aget_space(attr);
    std::vector<unsigned char> bytes(H5Tget_size(type) * std::max<hssize_t>(H5Sget_simple_extent_npoints(space), 1));
    H5Aread(attr, type, bytes.data());
    H5Sclose(space);
    H5Tclose(type);
    return bytes;
}

inline herr_t collect_attribute(hid_t location, const char* name, const H5A_info_t*, void* data) {
    auto* ctx = static_cast<std::pair<H5Contents*, std::string>*>(data);
    const hid_t attr = H5Aopen(location, name, H5P_DEFAULT);
    (*ctx->first)[ctx->second + "@" + name] = read_attribute(attr);
    H5Aclose(attr);
    return 0;
}

inline void collect_attributes(hid_t object, const std::string& path, H5Contents& out) {
    std::pair<H5Contents*, std::string> ctx{&out, path};
    hsize_t index = 0;
    H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute, &ctx);
}

inline herr_t collect_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
    auto& out = *static_cast<H5Contents*>(data);
    const std::string path = std::string("/") + (std::string(name) == "." ? "" : name);
    const hid_t object = H5Oopen(root, name, H5P_DEFAULT);
    collect_attributes(object, path, out);
    if (info->type == H5O_TYPE_DATASET) {
        const hid_t type = H5Dget_type(object);
        const hid_t space = H5Dget_space(object);
        std::vector<unsigned char> bytes(H5Tget_size(type) * std::max<hssize_t>(H5Sget_simple_extent_npoints(space), 1));
        H5Dread(object, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
        out[path] = bytes;
        H5Sclose(space);
        H5Tclose(type);
    }
    H5Oclose(object);
    return 0;
}

}  // namespace detail

inline H5Contents read_h5(const std::string& file) {
    H5Contents out;
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return out;
    H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_INC, detail::collect_object, &out, H5O_INFO_BASIC);
    H5Fclose(f);
    return out;
}

// Entries whose path starts with one of `prefixes`.
inline H5Contents select(const H5Contents& all, const std::vector<std::string>& prefixes) {
    H5Contents out;
    for (const auto& [key, value] : all)
        for (const auto& p : prefixes)
            if (key.rfind(p, 0) == 0) out[key] = value;
    return out;
}

inline H5Contents without(const H5Contents& all, const std::string& prefix) {
    H5Contents out;
    for (const auto& [key, value] : all)
        if (key.rfind(prefix, 0) != 0) out[key] = value;
    return out;
}

}  // namespace condor::test
