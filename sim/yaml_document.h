// The one way fourp reads a YAML input file (scenario, sweep, and any later one): bounded in
// bytes, nesting, values and alias expansion, checked before yaml-cpp sees the bytes, so that no
// file — random bytes included — makes the program run long or grow large. yaml-cpp 0.7 cannot
// bound itself: `LoadAll(",")` loops forever allocating a null document per turn (yaml-cpp issue
// #1040), it spends ~10 µs and ~500 bytes per value, and it shares an alias's node, so a "billion
// laughs" file of 30 lines is a billion values to whoever walks it.
//
//   Diagnostics diag;
//   std::optional<std::string> text = read_input_file("rural.yaml", diag);   // ≤ 1 MiB
//   try {
//     std::vector<YAML::Node> docs = load_yaml_documents(*text);
//   } catch (const YAML::Exception& e) {   // e.mark: line and column of the first problem
//   }
//
// What is accepted (README "Input files"): UTF-8, with or without a byte order mark; LF, CRLF or
// CR line ends (read as LF); at most kMaxInputBytes bytes, kMaxNesting levels of nesting,
// kMaxValues values, kMaxAliases aliases, and kMaxExpandedValues values once aliases are
// expanded. Within these limits `fourp validate` stays under 256 MB of memory (tests/sim/
// test_hostile_input.cpp measures it).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"

namespace fourp {

inline constexpr size_t kMaxInputBytes = size_t{1} << 20;  // 1 MiB: ~200 times the flagship
inline constexpr int kMaxNesting = 64;                     // maps and lists within each other
inline constexpr size_t kMaxValues = 50'000;               // scalars, keys, list items
inline constexpr size_t kMaxAliases = 1'000;               // `*name` uses
inline constexpr size_t kMaxExpandedValues = 100'000;      // values counting each alias's copy

// The whole file, or nothing with an error in `diag` (file: "cannot read file", "is a directory",
// "the file is larger than 1 MiB …"). Never reads more than kMaxInputBytes + 1 bytes, so a
// device such as /dev/zero ends in an error too.
std::optional<std::string> read_input_file(const std::filesystem::path& file, Diagnostics& diag);

// The text as yaml-cpp should see it: a UTF-8 byte order mark removed, CRLF and CR made LF.
// Throws YAML::ParserException at the first byte that is not UTF-8 (a UTF-16 or UTF-32 byte order
// mark, an invalid sequence) or is a control character, naming its byte offset.
std::string normalise_yaml_text(std::string_view text);

// Normalises the text, checks the limits above, and parses every document (usually one).
// Throws YAML::ParserException (a YAML::Exception, with the mark of the problem) on a limit, a
// syntax error, or a stray token yaml-cpp would loop on.
std::vector<YAML::Node> load_yaml_documents(std::string_view text);

}  // namespace fourp
