// Reading YAML input files with locations: each value carries its dotted path and where it
// stands (file:line:column) for messages; numbers are strict YAML 1.2 core-schema decimals
// (quoted scalars are text); maps are checked for duplicate keys, and an unknown key is an error
// with a did-you-mean hint. Shared by the scenario parser and the sweep reader, which report
// every problem to a Diagnostics and keep going.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/params.h"
#include "sim/yaml_document.h"

namespace fourp::yaml_input {

// YAML 1.2 core-schema decimals ("3", "-0.5", "1e-3", "+2"); hex, octal, ".inf" and "1_000" are
// not numbers here. Too large a magnitude reads as infinity so that it is reported out of range.
std::optional<double> parse_number(std::string_view text);

// A quoted scalar is text even when it looks like a number (YAML: '0.5' is a string).
bool quoted(const YAML::Node& n);
// YAML 1.2 core schema booleans: true, True, TRUE, false, False, FALSE.
std::optional<bool> parse_bool(std::string_view text);

// How a value that has the wrong type reads in a message.
std::string describe(const YAML::Node& n);

// "path.key", or "key" at the top level.
std::string join(const std::string& path, const std::string& key);
// " in path", or "" at the top level.
std::string in_path(const std::string& path);
// " (did you mean 'x'?)" or "".
std::string hint(std::string_view word, const std::vector<std::string>& candidates);
// "a, b, c".
std::string list_words(const std::vector<std::string>& words);
// " (did you mean 'x'? <what>: a, b, c)", or " (<what>: a, b, c)".
std::string hint_and_list(std::string_view word, const std::vector<std::string>& candidates,
                          std::string_view what);

// The allowed range of a number a reader checks that is not a model parameter: `name` in
// [min, max], a whole number or any (`number` below names the range in its message).
ParamSpec whole_number(const char* name, double min, double max);
ParamSpec real_number(const char* name, double min, double max);

// A YAML value with its dotted path in the file (for messages) and where it stands.
struct Value {
  YAML::Node node;
  std::string path;   // "interventions.media.reach"; "" for the top level
  SourceLoc loc;      // of the value; of its key when the value is empty
  SourceLoc key_loc;  // of its key (of the value itself for list items)
};

struct Entry {
  std::string key;
  Value value;
};

const Entry* find_entry(const std::vector<Entry>& entries, std::string_view key);

// Passes `local`'s diagnostics on to `diag` in file order (line, column), those not in `file`
// (--set overrides, other files) after, like a compiler's.
void emit_sorted(const Diagnostics& local, const std::string& file, Diagnostics& diag);

// How messages read where the two readers' wording differs.
struct Style {
  // Names the top-level map in "<name>: expected a map of keys, got …" ("" leaves it unnamed).
  std::string_view top_level;
  // "expected a key name in <path>, got …" rather than "expected a key name, got …".
  bool key_name_in_path = true;
  // An unknown key without a did-you-mean lists the known keys when there are at most this many.
  size_t list_keys_at_most = std::numeric_limits<size_t>::max();
};

// The generic reading of one file: each reports its own errors and returns nothing on failure.
class YamlReader {
 public:
  YamlReader(std::string file, Diagnostics& diag, Style style)
      : file_(std::move(file)), diag_(diag), style_(style) {}

  SourceLoc at(const YAML::Mark& m) const;

 protected:
  Value child(const Value& parent, const YAML::Node& key, const YAML::Node& value,
              const std::string& name) const;
  // Keys of a map in file order, each checked to be a name given once. An empty value counts as
  // an empty map.
  std::vector<Entry> entries(const Value& map);
  std::optional<std::vector<Value>> items(const Value& list, std::string_view expected);
  void unknown_key(const Entry& e, const std::string& path,
                   const std::vector<std::string>& candidates);
  std::optional<double> number(const Value& v, const ParamSpec& spec);
  std::optional<bool> boolean(const Value& v);      // true or false, unquoted
  std::optional<std::string> text(const Value& v);  // a non-empty scalar
  // "file: error: missing key '<key>': <example>".
  void missing(const char* key, const char* example);

  std::string file_;
  Diagnostics& diag_;

 private:
  Style style_;
};

// The one YAML document of `text` if it is a map; else nothing, with the error in `diag`: "the
// file is empty: expected <what>", "expected one YAML document, found N", "expected <what> at the
// top level, got …", or the parser's own error where it stands. `what`: "a map of sweep keys
// (scenario, design, parameters, ...)". Input limits as load_yaml_documents.
std::optional<YAML::Node> load_top_map(std::string_view text, const YamlReader& reader,
                                       Diagnostics& diag, std::string_view what);

}  // namespace fourp::yaml_input
