// Shared by the libFuzzer targets: the model catalog, and a private scratch directory for readers
// that take a path rather than bytes (the network file, HDF5 and journal readers).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "models/register.h"
#include "sim/catalog.h"

namespace fourp::fuzz {

inline const Catalog& catalog() {
  static const Catalog c = [] {
    Catalog cat;
    models::register_all(cat);
    return cat;
  }();
  return c;
}

// A directory of this process's own, created once.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("fourp-fuzz-" + std::to_string(static_cast<long>(::getpid())));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

// Writes the input to scratch()/name and returns the path.
inline std::filesystem::path write_input(const std::string& name, const uint8_t* data,
                                         size_t size) {
  const auto p = scratch() / name;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return p;
}

}  // namespace fourp::fuzz
