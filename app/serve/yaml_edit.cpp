#include "app/serve/yaml_edit.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <regex>

namespace fourp::serve {

namespace {

// The document as a map of keys; std::invalid_argument when it is not one.
YAML::Node load_map(const std::string& text) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument("the YAML does not parse: " + e.msg);
  }
  if (!root.IsMap()) throw std::invalid_argument("the scenario is not a map of keys");
  return root;
}

// The end of the flow collection that opens at `pos` ('[' or '{'): one past its closing bracket.
size_t flow_end(const std::string& text, size_t pos) {
  int depth = 0;
  char quote = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (--depth == 0) return i + 1;
    }
  }
  throw std::invalid_argument("unbalanced brackets");
}

// The end of the value that starts at `pos`: a quoted scalar, a flow collection, or a plain
// scalar up to the line's end, a comment, or the next flow separator.
size_t value_end(const std::string& text, size_t pos) {
  if (pos >= text.size()) return pos;
  const char c = text[pos];
  if (c == '[' || c == '{') return flow_end(text, pos);
  if (c == '"' || c == '\'') {
    for (size_t i = pos + 1; i < text.size(); ++i) {
      if (c == '"' && text[i] == '\\')
        ++i;
      else if (text[i] == c)
        return i + 1;
    }
    throw std::invalid_argument("unterminated quoted value");
  }
  size_t end = pos;
  while (end < text.size() && text[end] != '\n' && text[end] != ',' && text[end] != ']' &&
         text[end] != '}' && !(text[end] == '#' && end > pos && text[end - 1] == ' '))
    ++end;
  while (end > pos && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r'))
    --end;
  return end;
}

// "a: {b: {c: v}}" for keys a, b, c.
std::string nested_entry(const std::vector<std::string>& keys, size_t from,
                         const std::string& value) {
  std::string s = value;
  for (size_t i = keys.size(); i-- > from + 1;) s = "{" + keys[i] + ": " + s + "}";
  return keys[from] + ": " + s;
}

}  // namespace

bool is_form_value(const std::string& value) {
  static const std::regex number(R"(-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?)");
  static const std::regex word(R"([A-Za-z_][A-Za-z0-9_.\-]*)");
  static const std::regex ints(R"(\[\s*(\d+(\s*,\s*\d+)*)?\s*\])");
  static const std::regex words(
      R"(\[\s*([A-Za-z_][A-Za-z0-9_.\-]*(\s*,\s*[A-Za-z_][A-Za-z0-9_.\-]*)*)?\s*\])");
  return std::regex_match(value, number) || std::regex_match(value, word) ||
         std::regex_match(value, ints) || std::regex_match(value, words);
}

std::vector<std::string> split_path(const std::string& dotted) {
  std::vector<std::string> keys;
  size_t start = 0;
  for (size_t dot; (dot = dotted.find('.', start)) != std::string::npos; start = dot + 1)
    keys.push_back(dotted.substr(start, dot - start));
  keys.push_back(dotted.substr(start));
  return keys;
}

namespace {
std::string edit_in_place(const std::string& text, const std::vector<std::string>& keys,
                          const std::string& value) {
  if (!is_form_value(value))
    throw std::invalid_argument("'" + value + "' is not a number, a word or a list of numbers");
  if (keys.empty()) throw std::invalid_argument("no path");
  const YAML::Node root = load_map(text);

  YAML::Node node = root;
  size_t depth = 0;
  for (; depth < keys.size(); ++depth) {
    if (!node.IsMap()) {
      std::string where;
      for (size_t i = 0; i < depth; ++i) where += (i ? "." : "") + keys[i];
      throw std::invalid_argument(where + " is not a map of keys");
    }
    YAML::Node child;
    bool found = false;
    for (const auto& entry : node)
      if (entry.first.IsScalar() && entry.first.Scalar() == keys[depth]) {
        child = entry.second;
        found = true;
        break;
      }
    if (!found) break;
    node.reset(child);  // rebinds: operator= would overwrite the node it refers to
  }

  std::string out = text;
  if (depth == keys.size()) {  // the value is there: replace it where it stands
    if (node.IsMap() && text[node.Mark().pos] != '{')
      throw std::invalid_argument("the path names a block of keys, not a value");
    if (node.IsSequence() && text[node.Mark().pos] != '[')
      throw std::invalid_argument("the path names a block list, not a value");
    if (node.IsNull() && static_cast<size_t>(node.Mark().pos) >= text.size())
      throw std::invalid_argument("the path has no value to replace");
    const size_t pos = node.Mark().pos;
    return out.replace(pos, value_end(text, pos) - pos, value);
  }
  const std::string entry = nested_entry(keys, depth, value);
  if (depth == 0) {  // a new top-level key goes at the end of the document
    if (!out.empty() && out.back() != '\n') out += '\n';
    return out + entry + "\n";
  }
  const size_t pos = node.Mark().pos;
  if (text[pos] == '{') {  // a flow map: a new entry before its closing brace
    const size_t close = flow_end(text, pos) - 1;
    const bool empty = node.size() == 0;
    return out.insert(close, (empty ? "" : ", ") + entry);
  }
  // A block map: a line at its indentation, before its first key (whose line starts there).
  const size_t line = text.rfind('\n', pos) == std::string::npos ? 0 : text.rfind('\n', pos) + 1;
  return out.insert(line, std::string(node.Mark().column, ' ') + entry + "\n");
}

// What the document holds at `keys`, as the form would write it: a scalar's text, a flow
// sequence of scalars as "[a, b]"; none when it is missing or something else.
std::optional<std::string> form_value_at(const std::string& text,
                                         const std::vector<std::string>& keys) {
  try {
    YAML::Node node = YAML::Load(text);
    for (const std::string& key : keys) {
      if (!node.IsMap() || !node[key]) return std::nullopt;
      node.reset(node[key]);
    }
    if (node.IsScalar()) return node.Scalar();
    if (!node.IsSequence()) return std::nullopt;
    std::string list = "[";
    for (size_t i = 0; i < node.size(); ++i) {
      if (!node[i].IsScalar()) return std::nullopt;
      list += (i ? ", " : "") + node[i].Scalar();
    }
    return list + "]";
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

std::string without_spaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}
}  // namespace

std::string set_yaml_value(const std::string& text, const std::vector<std::string>& keys,
                           const std::string& value) {
  const std::string edited = edit_in_place(text, keys, value);
  // An edit in place must say what it was asked to, or it is not made: layouts it does not
  // know (a value continued on the next line, an alias, a tag) are edited in the YAML view.
  const std::optional<std::string> now = form_value_at(edited, keys);
  if (!now || without_spaces(*now) != without_spaces(value))
    throw std::invalid_argument(
        "this value is written in a way the form cannot change in place; edit it in the YAML "
        "view");
  return edited;
}

namespace {

std::string emit(const YAML::Node& root) {
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

void check_name(const std::string& name) {
  static const std::regex word(R"([A-Za-z_][A-Za-z0-9_\-]*)");
  if (!std::regex_match(name, word))
    throw std::invalid_argument("'" + name + "' is not a name (letters, digits, _ and -)");
}

YAML::Node interventions_of(YAML::Node& root, const std::string& name, bool must_exist) {
  YAML::Node ivs = root["interventions"];
  if (must_exist && (!ivs.IsMap() || !ivs[name]))
    throw std::invalid_argument("no intervention '" + name + "'");
  if (!must_exist && ivs.IsMap() && ivs[name])
    throw std::invalid_argument("there is an intervention '" + name + "' already");
  return ivs;
}

}  // namespace

std::string duplicate_intervention(const std::string& text, const std::string& name,
                                   const std::string& new_name) {
  check_name(new_name);
  YAML::Node root = load_map(text);
  interventions_of(root, name, true);
  interventions_of(root, new_name, false);
  root["interventions"][new_name] = YAML::Clone(root["interventions"][name]);
  return emit(root);
}

std::string remove_intervention(const std::string& text, const std::string& name) {
  YAML::Node root = load_map(text);
  interventions_of(root, name, true);
  root["interventions"].remove(name);
  const std::string prefix = "interventions." + name + ".";
  if (root["arms"].IsMap())
    for (auto arm : root["arms"]) {
      YAML::Node list = arm.second.IsMap() ? arm.second["interventions"] : arm.second;
      if (list.IsSequence()) {
        YAML::Node kept(YAML::NodeType::Sequence);
        for (const auto& n : list)
          if (!(n.IsScalar() && n.Scalar() == name)) kept.push_back(n);
        if (arm.second.IsMap())
          arm.second["interventions"] = kept;
        else
          arm.second = kept;
      }
      if (arm.second.IsMap() && arm.second["set"].IsMap()) {
        std::vector<std::string> gone;
        for (const auto& s : arm.second["set"])
          if (s.first.Scalar().rfind(prefix, 0) == 0) gone.push_back(s.first.Scalar());
        for (const auto& g : gone) arm.second["set"].remove(g);
      }
    }
  return emit(root);
}

std::string add_intervention(const std::string& text, const std::string& name,
                             const std::string& kind) {
  check_name(name);
  check_name(kind);
  YAML::Node root = load_map(text);
  interventions_of(root, name, false);
  YAML::Node iv;
  iv["kind"] = kind;
  iv["start"] = 0;
  root["interventions"][name] = iv;
  return emit(root);
}

std::string set_arm_interventions(const std::string& text, const std::string& arm,
                                  const std::vector<std::string>& interventions) {
  check_name(arm);
  std::string list = "[";
  for (size_t i = 0; i < interventions.size(); ++i) {
    check_name(interventions[i]);
    list += (i ? ", " : "") + interventions[i];
  }
  list += "]";
  YAML::Node root = load_map(text);
  const YAML::Node existing = root["arms"].IsMap() ? root["arms"][arm] : YAML::Node();
  if (existing.IsDefined() && existing.IsMap())
    return set_yaml_value(text, {"arms", arm, "interventions"}, list);
  if (existing.IsDefined() && existing.IsSequence() &&
      (existing.size() == 0 || text[existing.Mark().pos] == '['))
    return set_yaml_value(text, {"arms", arm}, list);
  YAML::Node seq(YAML::NodeType::Sequence);
  for (const auto& i : interventions) seq.push_back(i);
  seq.SetStyle(YAML::EmitterStyle::Flow);
  root["arms"][arm] = seq;
  return emit(root);
}

std::string remove_arm(const std::string& text, const std::string& arm) {
  YAML::Node root = load_map(text);
  if (!root["arms"].IsMap() || !root["arms"][arm])
    throw std::invalid_argument("no arm '" + arm + "'");
  root["arms"].remove(arm);
  return emit(root);
}

}  // namespace fourp::serve
