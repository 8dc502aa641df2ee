#include "output/h5_kinds.h"

#include <fmt/format.h>

namespace fourp {

namespace fs = std::filesystem;

bool has_file_kind(const fs::path& path, std::string_view kind) {
  if (!h5::File::is_hdf5(path)) return false;
  try {
    h5::File f = h5::File::open(path);
    return h5::has_attr(f, "kind") && h5::read_attr<std::string>(f, "kind") == kind;
  } catch (const h5::Error&) {
    return false;
  }
}

InputError damaged_file(const fs::path& path, const std::string& what) {
  return InputError(fmt::format("{}: error: {}", path.string(), what));
}

const h5::Field& table_field(const h5::Table& t, const fs::path& path,
                             const std::string& table_name, const std::string& name) {
  for (const h5::Field& f : t.fields)
    if (f.name == name) return f;
  throw damaged_file(path, fmt::format("missing field '{}' in /{}", name, table_name));
}

}  // namespace fourp
