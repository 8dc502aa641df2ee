#include "sim/yaml_input.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <tuple>

namespace fourp::yaml_input {

std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text[0] == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text[0] == '-') return std::nullopt;  // "+-1"
  }
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) return text[0] == '-' ? -HUGE_VAL : HUGE_VAL;
  if (ec != std::errc()) return std::nullopt;
  return value;
}

bool quoted(const YAML::Node& n) {
  return n.Tag() == "!";
}

std::string describe(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a map";
  // A long scalar (a whole file read as one) is cut: the message is about its type.
  std::string text = n.Scalar();
  if (text.size() > 80) {
    size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    text = text.substr(0, cut) + "…";
  }
  if (quoted(n)) return fmt::format("the text \"{}\"", text);
  return fmt::format("'{}'", text);
}

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string in_path(const std::string& path) {
  return path.empty() ? "" : " in " + path;
}

std::string hint(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best = did_you_mean(word, candidates);
  return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

std::string hint_and_list(std::string_view word, const std::vector<std::string>& candidates,
                          std::string_view what) {
  std::string best = did_you_mean(word, candidates);
  std::string mean = best.empty() ? "" : fmt::format("did you mean '{}'? ", best);
  return fmt::format(" ({}{}: {})", mean, what, list_words(candidates));
}

std::string list_words(const std::vector<std::string>& words) {
  return fmt::format("{}", fmt::join(words, ", "));
}

const Entry* find_entry(const std::vector<Entry>& entries, std::string_view key) {
  for (const auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

void emit_sorted(const Diagnostics& local, const std::string& file, Diagnostics& diag) {
  std::vector<Diagnostic> all = local.all();
  std::stable_sort(all.begin(), all.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    auto key = [&](const Diagnostic& d) {
      return std::tuple(d.loc.file != file, d.loc.line, d.loc.column);
    };
    return key(a) < key(b);
  });
  for (const Diagnostic& d : all) {
    if (d.severity == Diagnostic::Severity::error)
      diag.error(d.loc, d.message);
    else
      diag.warning(d.loc, d.message);
  }
  diag.add_unreported(local);
}

ParamSpec whole_number(const char* name, double min, double max) {
  ParamSpec s = real_number(name, min, max);
  s.integer = true;
  return s;
}

ParamSpec real_number(const char* name, double min, double max) {
  ParamSpec s;
  s.name = name;
  s.min = min;
  s.max = max;
  return s;
}

std::optional<std::string> YamlReader::text(const Value& v) {
  if (!v.node.IsScalar() || v.node.Scalar().empty()) {
    diag_.error(v.loc, fmt::format("{}: expected text, got {}", v.path, describe(v.node)));
    return std::nullopt;
  }
  return v.node.Scalar();
}

void YamlReader::missing(const char* key, const char* example) {
  diag_.error(SourceLoc{file_}, fmt::format("missing key '{}': {}", key, example));
}

SourceLoc YamlReader::at(const YAML::Mark& m) const {
  if (m.is_null()) return SourceLoc{file_};
  return SourceLoc{file_, m.line + 1, m.column + 1};
}

Value YamlReader::child(const Value& parent, const YAML::Node& key, const YAML::Node& value,
                        const std::string& name) const {
  SourceLoc key_loc = at(key.Mark());
  // An empty value's mark points past it (often to the next line): its key is the better place.
  SourceLoc loc = value.IsNull() ? key_loc : at(value.Mark());
  return Value{value, join(parent.path, name), loc, key_loc};
}

std::vector<Entry> YamlReader::entries(const Value& map) {
  std::vector<Entry> out;
  if (map.node.IsNull()) return out;
  if (!map.node.IsMap()) {
    diag_.error(map.loc, fmt::format("{}: expected a map of keys, got {}",
                                     map.path.empty() ? std::string(style_.top_level) : map.path,
                                     describe(map.node)));
    return out;
  }
  std::map<std::string, SourceLoc> seen;
  for (auto it = map.node.begin(); it != map.node.end(); ++it) {
    // Copies: the iterator's -> yields a temporary pair.
    const YAML::Node key = it->first, value = it->second;
    if (!key.IsScalar()) {
      diag_.error(at(key.Mark()),
                  fmt::format("expected a key name{}, got {}",
                              style_.key_name_in_path ? in_path(map.path) : "", describe(key)));
      continue;
    }
    // yaml-cpp keeps both of two equal keys silently: a second value must not pass unnoticed.
    auto [first, fresh] = seen.emplace(key.Scalar(), at(key.Mark()));
    if (!fresh) {
      diag_.error(at(key.Mark()),
                  fmt::format("duplicate key '{}'{} (first given at {}:{})", key.Scalar(),
                              in_path(map.path), first->second.line, first->second.column));
      continue;
    }
    out.push_back({key.Scalar(), child(map, key, value, key.Scalar())});
  }
  return out;
}

std::optional<std::vector<Value>> YamlReader::items(const Value& list, std::string_view expected) {
  if (!list.node.IsSequence()) {
    diag_.error(list.loc,
                fmt::format("{}: expected {}, got {}", list.path, expected, describe(list.node)));
    return std::nullopt;
  }
  std::vector<Value> out;
  for (size_t i = 0; i < list.node.size(); ++i) {
    const YAML::Node n = list.node[i];
    SourceLoc loc = n.IsNull() ? list.loc : at(n.Mark());
    out.push_back(Value{n, fmt::format("{}[{}]", list.path, i), loc, loc});
  }
  return out;
}

void YamlReader::unknown_key(const Entry& e, const std::string& path,
                             const std::vector<std::string>& candidates) {
  std::string msg = fmt::format("unknown key '{}'{}", e.key, in_path(path));
  std::string best = did_you_mean(e.key, candidates);
  if (!best.empty())
    msg += fmt::format(" (did you mean '{}'?)", best);
  else if (candidates.size() <= style_.list_keys_at_most)  // a short list helps more than silence
    msg += fmt::format(" (expected one of: {})", list_words(candidates));
  diag_.error(e.value.key_loc, msg);
}

std::optional<bool> parse_bool(std::string_view t) {
  if (t == "true" || t == "True" || t == "TRUE") return true;
  if (t == "false" || t == "False" || t == "FALSE") return false;
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const Value& v) {
  std::optional<bool> b;
  if (v.node.IsScalar() && !quoted(v.node)) b = parse_bool(v.node.Scalar());
  if (!b)
    diag_.error(v.loc, fmt::format("{}: expected true or false, got {}", v.path, describe(v.node)));
  return b;
}

std::optional<double> YamlReader::number(const Value& v, const ParamSpec& spec) {
  const char* what = spec.integer ? "a whole number" : "a number";
  if (!v.node.IsScalar() || quoted(v.node)) {
    diag_.error(v.loc, fmt::format("{}: expected {}, got {}", v.path, what, describe(v.node)));
    return std::nullopt;
  }
  const std::string& text = v.node.Scalar();
  std::optional<double> x = parse_number(text);
  if (!x || (spec.integer && std::isfinite(*x) && *x != std::floor(*x))) {
    diag_.error(v.loc, fmt::format("{}: expected {}, got '{}'", v.path, what, text));
    return std::nullopt;
  }
  if (!in_range(spec, *x)) {
    diag_.error(v.loc,
                fmt::format("{} = {} is out of range ({})", v.path, text, describe_range(spec)));
    return std::nullopt;
  }
  return x;
}

std::optional<YAML::Node> load_top_map(std::string_view text, const YamlReader& reader,
                                       Diagnostics& diag, std::string_view what) {
  try {
    std::vector<YAML::Node> docs = load_yaml_documents(text);
    if (docs.empty() || docs[0].IsNull())
      diag.error(reader.at(YAML::Mark::null_mark()),
                 fmt::format("the file is empty: expected {}", what));
    else if (docs.size() > 1)
      diag.error(reader.at(docs[1].Mark()),
                 fmt::format("expected one YAML document, found {}", docs.size()));
    else if (!docs[0].IsMap())
      diag.error(reader.at(docs[0].Mark()),
                 fmt::format("expected {} at the top level, got {}", what, describe(docs[0])));
    else
      return docs[0];
  } catch (const YAML::Exception& e) {
    diag.error(reader.at(e.mark), e.msg);
  }
  return std::nullopt;
}

}  // namespace fourp::yaml_input
