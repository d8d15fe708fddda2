// Small helpers over the HDF5 C API shared by every file condorsim writes
// (results.h5, the calibration report): an output file written atomically,
// groups, datasets, attributes and strings. Each helper closes what it opens.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace condor::h5 {

// A file under construction: created as a temporary file beside the target, so
// that an unwritable path fails at once; renamed to the target only by
// commit(). The destructor removes an uncommitted file.
class AtomicFile {
public:
    explicit AtomicFile(const std::string& path);  // throws std::runtime_error
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    hid_t id() const { return file_; }
    void commit();

private:
    std::string path_, temp_path_;
    hid_t file_ = -1;
    bool committed_ = false;
};

class Group {
public:
    Group(hid_t parent, const char* name);
    ~Group();
    Group(const Group&) = delete;
    Group& operator=(const Group&) = delete;
    hid_t id() const { return id_; }

private:
    hid_t id_;
};

void write_dataset(hid_t where, const char* name, const std::vector<double>& data, std::vector<hsize_t> dims = {});
void write_dataset(hid_t where, const char* name, const std::vector<int>& data, std::vector<hsize_t> dims = {});
void write_dataset(hid_t where, const char* name, const std::vector<unsigned long long>& data,
                   std::vector<hsize_t> dims = {});
void write_dataset(hid_t where, const char* name, const std::vector<std::uint64_t>& data,
                   std::vector<hsize_t> dims = {});
// A one-dimensional dataset of fixed-length UTF-8 strings.
void write_strings(hid_t where, const char* name, const std::vector<std::string>& values);

void write_scalar(hid_t where, const char* name, double value);
void write_scalar(hid_t where, const char* name, unsigned long long value);
void write_string(hid_t where, const char* name, const std::string& value);

void attribute(hid_t where, const char* name, const std::string& value);
void attribute(hid_t where, const char* name, double value);
void attribute(hid_t where, const char* name, int value);
void attribute(hid_t where, const char* name, std::uint64_t value);

std::string utc_now();

// An existing file opened read-only (condorsim report); throws std::runtime_error.
class ReadOnlyFile {
public:
    explicit ReadOnlyFile(const std::string& path);
    ~ReadOnlyFile();
    ReadOnlyFile(const ReadOnlyFile&) = delete;
    ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
    hid_t id() const { return file_; }

private:
    hid_t file_ = -1;
};

bool exists(hid_t where, const char* path);
// A fixed-length string dataset or attribute as written above; throws std::runtime_error.
std::string read_string(hid_t where, const char* name);
std::string read_string_attribute(hid_t where, const char* name);  // ISO 8601, e.g. 2026-11-27T01:02:03Z

}  // namespace condor::h5
