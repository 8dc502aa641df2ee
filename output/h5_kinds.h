// What the readers of fourp's HDF5 files of each kind (calibration, optimisation, sweep) share:
// telling a file's kind by its root attribute `kind`, and the errors of a file that is missing a
// part or damaged.
//
//   if (has_file_kind(path, "fourp optimisation")) ...
//   const auto& col = table_field(t, path, "candidates", "objective").numbers;
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "output/h5.h"
#include "sim/diagnostics.h"

namespace fourp {

// Whether `path` is an HDF5 file whose root attribute `kind` is `kind` (false also when it is
// unreadable).
bool has_file_kind(const std::filesystem::path& path, std::string_view kind);

// "path: error: <what>": a file missing a part, or damaged.
InputError damaged_file(const std::filesystem::path& path, const std::string& what);

// The field `name` of a table read from /<table_name>; damaged_file naming it when missing.
const h5::Field& table_field(const h5::Table& t, const std::filesystem::path& path,
                             const std::string& table_name, const std::string& name);

}  // namespace fourp
