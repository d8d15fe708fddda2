#include "host/h5_file.h"

#include <cstring>
#include <stdexcept>
#include <vector>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace condor::h5 {

namespace {

void require(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("HDF5: " + what);
}

// Creates dataset `name` of `type` over `space`, writes `data` (nothing if null),
// and closes the dataset and the space.
void write_raw_dataset(hid_t where, const char* name, hid_t type, hid_t space, const void* data) {
    const hid_t set = H5Dcreate2(where, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    require(set >= 0, std::string("cannot create dataset ") + name);
    const herr_t status = data ? H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) : 0;
    H5Dclose(set);
    H5Sclose(space);
    require(status >= 0, std::string("cannot write dataset ") + name);
}

void write_raw_attribute(hid_t where, const char* name, hid_t type, const void* data) {
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(where, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    require(attr >= 0, std::string("cannot create attribute ") + name);
    const herr_t status = H5Awrite(attr, type, data);
    H5Aclose(attr);
    H5Sclose(space);
    require(status >= 0, std::string("cannot write attribute ") + name);
}

template <class T>
void write_vector(hid_t where, const char* name, hid_t type, const std::vector<T>& data, std::vector<hsize_t> dims) {
    if (dims.empty()) dims = {hsize_t(data.size())};
    write_raw_dataset(where, name, type, H5Screate_simple(int(dims.size()), dims.data(), nullptr),
                      data.empty() ? nullptr : data.data());
}

// A fixed-length UTF-8 string type of `size` bytes (at least one).
hid_t string_type(std::size_t size) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, std::max<std::size_t>(size, 1));
    H5Tset_cset(type, H5T_CSET_UTF8);
    return type;
}

}  // namespace

AtomicFile::AtomicFile(const std::string& path) : path_(path), temp_path_(path + ".tmp-" + std::to_string(getpid())) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are reported by exceptions
    file_ = H5Fcreate(temp_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file_ < 0) throw std::runtime_error(path + ": cannot create output file (is the directory writable?)");
}

AtomicFile::~AtomicFile() {
    if (file_ >= 0) H5Fclose(file_);
    if (!committed_) std::remove(temp_path_.c_str());
}

void AtomicFile::commit() {
    const herr_t status = H5Fclose(file_);
    file_ = -1;
    if (status < 0) throw std::runtime_error(path_ + ": cannot finish writing the output file");
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
        throw std::runtime_error(path_ + ": cannot move the finished file into place");
    committed_ = true;
}

Group::Group(hid_t parent, const char* name) : id_(H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) {
    require(id_ >= 0, std::string("cannot create group ") + name);
}

Group::~Group() { H5Gclose(id_); }

void write_dataset(hid_t where, const char* name, const std::vector<double>& data, std::vector<hsize_t> dims) {
    write_vector(where, name, H5T_NATIVE_DOUBLE, data, std::move(dims));
}
void write_dataset(hid_t where, const char* name, const std::vector<int>& data, std::vector<hsize_t> dims) {
    write_vector(where, name, H5T_NATIVE_INT, data, std::move(dims));
}
void write_dataset(hid_t where, const char* name, const std::vector<unsigned long long>& data,
                   std::vector<hsize_t> dims) {
    write_vector(where, name, H5T_NATIVE_ULLONG, data, std::move(dims));
}
void write_dataset(hid_t where, const char* name, const std::vector<std::uint64_t>& data, std::vector<hsize_t> dims) {
    write_vector(where, name, H5T_NATIVE_UINT64, data, std::move(dims));
}

void write_strings(hid_t where, const char* name, const std::vector<std::string>& values) {
    std::size_t width = 1;
    for (const std::string& v : values) width = std::max(width, v.size());
    std::vector<char> packed(values.size() * width, '\0');
    for (std::size_t i = 0; i < values.size(); ++i) std::copy(values[i].begin(), values[i].end(), &packed[i * width]);
    const hid_t type = string_type(width);
    const hsize_t dims[1] = {hsize_t(values.size())};
    write_raw_dataset(where, name, type, H5Screate_simple(1, dims, nullptr), packed.empty() ? nullptr : packed.data());
    H5Tclose(type);
}

void write_scalar(hid_t where, const char* name, double value) {
    write_raw_dataset(where, name, H5T_NATIVE_DOUBLE, H5Screate(H5S_SCALAR), &value);
}
void write_scalar(hid_t where, const char* name, unsigned long long value) {
    write_raw_dataset(where, name, H5T_NATIVE_ULLONG, H5Screate(H5S_SCALAR), &value);
}

void write_string(hid_t where, const char* name, const std::string& value) {
    const hid_t type = string_type(value.size());
    write_raw_dataset(where, name, type, H5Screate(H5S_SCALAR), value.c_str());
    H5Tclose(type);
}

void attribute(hid_t where, const char* name, const std::string& value) {
    const hid_t type = string_type(value.size());
    write_raw_attribute(where, name, type, value.c_str());
    H5Tclose(type);
}
void attribute(hid_t where, const char* name, double value) {
    write_raw_attribute(where, name, H5T_NATIVE_DOUBLE, &value);
}
void attribute(hid_t where, const char* name, int value) { write_raw_attribute(where, name, H5T_NATIVE_INT, &value); }
void attribute(hid_t where, const char* name, std::uint64_t value) {
    write_raw_attribute(where, name, H5T_NATIVE_UINT64, &value);
}

ReadOnlyFile::ReadOnlyFile(const std::string& path) {
    H5E_BEGIN_TRY { file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT); }
    H5E_END_TRY;
    if (file_ < 0) throw std::runtime_error(path + ": cannot open as an HDF5 file");
}

ReadOnlyFile::~ReadOnlyFile() {
    if (file_ >= 0) H5Fclose(file_);
}

bool exists(hid_t where, const char* path) {
    htri_t found = 0;
    H5E_BEGIN_TRY { found = H5Lexists(where, path, H5P_DEFAULT); }
    H5E_END_TRY;
    return found > 0;
}

namespace {
// Reads a fixed-length string of `type` through `read(memory type, buffer)`.
template <class Read>
std::string read_fixed_string(hid_t type, Read read) {
    if (H5Tget_class(type) != H5T_STRING || H5Tis_variable_str(type) > 0) return std::string();
    const std::size_t size = H5Tget_size(type);
    std::vector<char> buffer(size + 1, '\0');
    const hid_t memory = H5Tcopy(type);
    const herr_t status = read(memory, buffer.data());
    H5Tclose(memory);
    if (status < 0) return std::string();
    return std::string(buffer.data(), strnlen(buffer.data(), size));
}
}  // namespace

std::string read_string(hid_t where, const char* name) {
    if (!exists(where, name)) throw std::runtime_error(std::string("no dataset '") + name + "'");
    const hid_t set = H5Dopen2(where, name, H5P_DEFAULT);
    const hid_t type = H5Dget_type(set);
    const std::string out =
        read_fixed_string(type, [&](hid_t memory, char* buffer) { return H5Dread(set, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer); });
    H5Tclose(type);
    H5Dclose(set);
    return out;
}

std::string read_string_attribute(hid_t where, const char* name) {
    htri_t found = 0;
    H5E_BEGIN_TRY { found = H5Aexists(where, name); }
    H5E_END_TRY;
    if (found <= 0) throw std::runtime_error(std::string("no attribute '") + name + "'");
    const hid_t attr = H5Aopen(where, name, H5P_DEFAULT);
    const hid_t type = H5Aget_type(attr);
    const std::string out = read_fixed_string(type, [&](hid_t memory, char* buffer) { return H5Aread(attr, memory, buffer); });
    H5Tclose(type);
    H5Aclose(attr);
    return out;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return text;
}

}  // namespace condor::h5
