#include "sim/targets_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "sim/yaml_input.h"

namespace fourp {

namespace {

struct Cell {
  std::string text;
  int column = 1;  // of its first character, 1-based
};

// The fields of one line, RFC 4180 style: separated by commas, each optionally double-quoted
// with "" for a quote inside. Surrounding spaces of an unquoted field are trimmed. Nothing when
// a quote is not closed (bad_column: where it opened).
std::optional<std::vector<Cell>> split_csv(std::string_view line, int& bad_column) {
  std::vector<Cell> cells;
  size_t i = 0;
  while (true) {
    Cell c;
    while (i < line.size() && line[i] == ' ') ++i;
    c.column = static_cast<int>(i) + 1;
    if (i < line.size() && line[i] == '"') {
      const size_t open = i++;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            c.text += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        c.text += line[i++];
      }
      if (!closed) {
        bad_column = static_cast<int>(open) + 1;
        return std::nullopt;
      }
      while (i < line.size() && line[i] != ',') ++i;  // anything after the quote is dropped
    } else {
      const size_t start = i;
      while (i < line.size() && line[i] != ',') ++i;
      std::string_view t = line.substr(start, i - start);
      while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
      c.text = std::string(t);
    }
    cells.push_back(std::move(c));
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return cells;
}

// A plain YAML scalar when it is one safely (numbers, names), else single-quoted text.
std::string yaml_scalar(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '+' ||
           ch == '-';
  });
  if (plain) return s;
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

}  // namespace

const std::vector<std::string>& target_csv_columns() {
  static const std::vector<std::string> columns = {"metric",     "group",     "step", "respondents",
                                                   "yes",        "first",     "last", "count",
                                                   "dispersion", "detection", "arm"};
  return columns;
}

SourceLoc TargetsAsYaml::csv_loc(int line, int column, const std::string& csv_file) const {
  const int l = line - 1;
  if (l < 0 || l >= static_cast<int>(rows.size())) return SourceLoc{csv_file};
  SourceLoc loc{csv_file, rows[l], 1};
  for (const auto& [col, at] : places[l])
    if (col <= column) loc = at;
  return loc;
}

std::optional<TargetsAsYaml> targets_as_yaml(const std::string& text, const std::string& file,
                                             Diagnostics& diag) {
  const std::vector<std::string>& known = target_csv_columns();
  TargetsAsYaml out;
  std::vector<std::string> header;
  bool ok = true;
  int line_number = 0;
  size_t pos = 0;
  while (pos <= text.size() && ok) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') {
      if (end == text.size()) break;
      continue;
    }
    int bad_column = 0;
    auto cells = split_csv(line, bad_column);
    if (!cells) {
      diag.error(SourceLoc{file, line_number, bad_column}, "a quoted field is not closed");
      return std::nullopt;
    }
    if (header.empty()) {  // the header
      for (const Cell& c : *cells) {
        const SourceLoc at{file, line_number, c.column};
        if (std::find(known.begin(), known.end(), c.text) == known.end()) {
          diag.error(at, fmt::format("unknown column '{}'{}", c.text,
                                     yaml_input::hint_and_list(c.text, known, "columns")));
          ok = false;
        } else if (std::find(header.begin(), header.end(), c.text) != header.end()) {
          diag.error(at, fmt::format("column '{}' is given twice", c.text));
          ok = false;
        }
        header.push_back(c.text);
      }
      if (end == text.size()) break;
      continue;
    }
    if (cells->size() > header.size()) {
      diag.error(
          SourceLoc{file, line_number, (*cells)[header.size()].column},
          fmt::format("this row has {} fields, the header {}", cells->size(), header.size()));
      ok = false;
      break;
    }
    const auto cell = [&](const std::string& name) -> const Cell* {
      auto it = std::find(header.begin(), header.end(), name);
      const size_t i = static_cast<size_t>(it - header.begin());
      if (it == header.end() || i >= cells->size() || (*cells)[i].text.empty()) return nullptr;
      return &(*cells)[i];
    };
    std::string y = "- {";
    std::vector<std::pair<int, SourceLoc>> places;
    bool first_key = true;
    const auto key = [&](const std::string& k) {
      if (!first_key) y += ", ";
      first_key = false;
      y += k + ": ";
    };
    const auto value = [&](const std::string& v, int column) {
      places.emplace_back(static_cast<int>(y.size()) + 1, SourceLoc{file, line_number, column});
      y += yaml_scalar(v);
    };
    for (const std::string& name : known) {
      if (name == "first" || name == "last") continue;
      const Cell* c = cell(name);
      if (!c) continue;
      key(name);
      if (name == "group" && c->text != "all") {
        // Community ids separated by spaces (or semicolons): {communities: [ids]}.
        y += "{communities: [";
        bool first_id = true;
        size_t i = 0;
        while (i < c->text.size()) {
          while (i < c->text.size() && (c->text[i] == ' ' || c->text[i] == ';')) ++i;
          const size_t start = i;
          while (i < c->text.size() && c->text[i] != ' ' && c->text[i] != ';') ++i;
          if (i == start) break;
          if (!first_id) y += ", ";
          first_id = false;
          value(c->text.substr(start, i - start), c->column + static_cast<int>(start));
        }
        y += "]}";
      } else {
        value(c->text, c->column);
      }
    }
    const Cell* a = cell("first");
    const Cell* b = cell("last");
    if (a || b) {
      key("steps");
      y += "[";
      if (a) value(a->text, a->column);
      if (a && b) y += ", ";
      if (b) value(b->text, b->column);
      y += "]";
    }
    y += "}\n";
    out.yaml += y;
    out.places.push_back(std::move(places));
    out.rows.push_back(line_number);
    if (end == text.size()) break;
  }
  if (!ok) return std::nullopt;
  if (header.empty()) {
    diag.error(SourceLoc{file}, fmt::format("no header: the first line names the columns ({})",
                                            yaml_input::list_words(known)));
    return std::nullopt;
  }
  if (out.rows.empty()) {
    diag.error(SourceLoc{file}, "no targets: the file has a header and no rows");
    return std::nullopt;
  }
  return out;
}

}  // namespace fourp
