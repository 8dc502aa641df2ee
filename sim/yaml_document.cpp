#include "sim/yaml_document.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "sim/input_files.h"

namespace fourp {

namespace fs = std::filesystem;

namespace {

// The line and column (0-based, as yaml-cpp counts them) of byte `pos`; CRLF, CR and LF each end
// a line. Columns count bytes.
YAML::Mark mark_at(std::string_view text, size_t pos) {
  YAML::Mark m;
  m.pos = static_cast<int>(pos);
  size_t line_start = 0;
  for (size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++m.line;
      line_start = i + 1;
    }
  }
  m.column = static_cast<int>(pos - line_start);
  return m;
}

[[noreturn]] void fail(std::string_view text, size_t pos, const std::string& message) {
  throw YAML::ParserException(mark_at(text, pos), message);
}

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF included).
size_t utf8_length(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else
    return 0;
  if (i + n > text.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

// ---- The pre-scan: nesting, values and aliases, counted on the bytes in one pass, before
// yaml-cpp builds anything. It follows YAML closely enough to count what matters (quoted
// scalars, comments, flow collections, block indentation) and errs on the side of counting more.

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

class PreScan {
 public:
  explicit PreScan(std::string_view text) : t_(text) {}

  void run() {
    size_t i = 0;
    while (i < t_.size()) i = line(i);
  }
  size_t aliases() const { return aliases_; }  // `*name` uses found

 private:
  // One line starting at `i` (or the rest of a quoted scalar or flow collection that spans lines);
  // returns the start of the next.
  size_t line(size_t i) {
    if (flow_.empty() && !in_quote_) i = block_indentation(i);
    bool node_start = true;  // after an indicator or the line's indentation: a node may begin
    while (i < t_.size() && t_[i] != '\n') {
      const char c = t_[i];
      if (in_quote_) {
        if (c == '\\' && in_quote_ == '"') {
          i += 2;
          continue;
        }
        if (c == in_quote_) {
          if (c == '\'' && i + 1 < t_.size() && t_[i + 1] == '\'') {  // '' inside '…'
            i += 2;
            continue;
          }
          in_quote_ = 0;
          node_start = false;
        }
        ++i;
        continue;
      }
      if (c == '#' && (i == 0 || is_space(t_[i - 1]))) break;  // a comment to the end of line
      if (is_space(c)) {
        ++i;
        continue;
      }
      if (node_start && (c == '"' || c == '\'')) {
        in_quote_ = c;
        value(i);
      } else if (node_start && (c == '[' || c == '{')) {
        flow_.push_back(c);
        value(i);
        depth(i);
      } else if (!flow_.empty() && (c == ']' || c == '}')) {
        flow_.pop_back();
        node_start = false;
        ++i;
        continue;
      } else if (!flow_.empty() && c == ',') {
        value(i);
        node_start = true;
        ++i;
        continue;
      } else if (c == ':' &&
                 (i + 1 >= t_.size() || is_space(t_[i + 1]) || t_[i + 1] == '\n' ||
                  (!flow_.empty() && (t_[i + 1] == ',' || t_[i + 1] == ']' || t_[i + 1] == '}')))) {
        value(i);  // a key's value
        node_start = true;
        ++i;
        continue;
      } else if (node_start && (c == '&' || c == '*')) {
        if (c == '*' && ++aliases_ > kMaxAliases)
          fail(t_, i, fmt::format("more than {} aliases (*name) in one file", kMaxAliases));
        while (i < t_.size() && !is_space(t_[i]) && t_[i] != '\n' && t_[i] != ',' && t_[i] != ']' &&
               t_[i] != '}')
          ++i;
        continue;                           // an anchor still precedes its node
      } else if (node_start && c == '!') {  // a tag, then its node
        while (i < t_.size() && !is_space(t_[i]) && t_[i] != '\n') ++i;
        continue;
      } else {
        node_start = false;
      }
      ++i;
    }
    while (i < t_.size() && t_[i] != '\n') ++i;  // the comment, if any
    return i + 1;
  }

  // Block nesting: a stack of the indentations of the enclosing block collections; a "- " or "? "
  // at the start of a line opens one more level each ("- - - x" is three lists deep).
  size_t block_indentation(size_t i) {
    size_t col = 0;
    while (i < t_.size() && t_[i] == ' ') ++i, ++col;
    if (i >= t_.size() || t_[i] == '\n' || t_[i] == '#') return i;  // blank or comment line
    while (!indents_.empty() && indents_.back() >= col) indents_.pop_back();
    indents_.push_back(col);
    depth(i);
    while (i + 1 < t_.size() && (t_[i] == '-' || t_[i] == '?') &&
           (is_space(t_[i + 1]) || t_[i + 1] == '\n')) {
      value(i);
      ++i, ++col;
      while (i < t_.size() && is_space(t_[i])) ++i, ++col;
      indents_.push_back(col);
      depth(i);
    }
    return i;
  }

  void depth(size_t i) {
    if (indents_.size() + flow_.size() > static_cast<size_t>(kMaxNesting))
      fail(t_, i, fmt::format("nested more than {} levels deep", kMaxNesting));
  }

  void value(size_t i) {
    if (++values_ > kMaxValues)
      fail(t_, i,
           fmt::format("more than {} values (keys, list items, scalars) in one file", kMaxValues));
  }

  std::string_view t_;
  std::vector<char> flow_;       // open '[' and '{'
  std::vector<size_t> indents_;  // of the enclosing block collections
  char in_quote_ = 0;            // '"' or '\'' inside a quoted scalar
  size_t values_ = 0, aliases_ = 0;
};

// Counts documents as the parser sees them, without building nodes. yaml-cpp 0.7 does not
// consume a token it cannot start a node with (',' at the top level) and reports an empty
// document at the same place forever: two documents starting at one mark is that token.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  std::vector<YAML::Mark> starts;
};

void check_documents(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentCounter counter;
  while (parser.HandleNextDocument(counter)) {
    const auto& s = counter.starts;
    if (s.size() >= 2 && s[s.size() - 1].pos == s[s.size() - 2].pos) {
      const size_t pos = static_cast<size_t>(s.back().pos);
      const char c = pos < text.size() ? text[pos] : ' ';
      throw YAML::ParserException(s.back(), fmt::format("unexpected '{}'", c));
    }
  }
}

// Walks every document as a reader would, an alias's node as often as it is used, and stops at
// kMaxExpandedValues: a "billion laughs" file, or an alias inside its own anchor's node (a cycle
// yaml-cpp builds for `&a [*a]`), ends here rather than in the reader.
void check_expansion(const std::vector<YAML::Node>& docs) {
  size_t visited = 0;
  std::vector<YAML::Node> stack(docs.begin(), docs.end());
  while (!stack.empty()) {
    const YAML::Node n = stack.back();
    stack.pop_back();
    if (++visited > kMaxExpandedValues)
      throw YAML::ParserException(
          n.Mark(), fmt::format("aliases expand to more than {} values", kMaxExpandedValues));
    if (n.IsSequence())
      for (const auto& item : n) stack.push_back(item);
    else if (n.IsMap())
      for (const auto& kv : n) {
        stack.push_back(kv.first);
        stack.push_back(kv.second);
      }
  }
}

}  // namespace

std::optional<std::string> read_input_file(const fs::path& file, Diagnostics& diag) {
  const SourceLoc where{file.string()};
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    diag.error(where, "cannot read file");
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diag.error(where, "cannot read file");
    return std::nullopt;
  }
  note_input_file(file);  // no output of this command may replace it (sim/input_files.h)
  std::string text(kMaxInputBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxInputBytes) {
    diag.error(where, fmt::format("the file is larger than {} MiB, the limit for input files",
                                  kMaxInputBytes >> 20));
    return std::nullopt;
  }
  if (in.bad()) {
    diag.error(where, "cannot read file");
    return std::nullopt;
  }
  return text;
}

std::string normalise_yaml_text(std::string_view text) {
  const auto starts = [&](std::string_view bom) { return text.substr(0, bom.size()) == bom; };
  using namespace std::string_view_literals;
  if (starts("\x00\x00\xFE\xFF"sv) || starts("\xFF\xFE\x00\x00"sv))
    fail(text, 0, "the file is UTF-32 (byte order mark at byte 0): save it as UTF-8");
  if (starts("\xFE\xFF"sv) || starts("\xFF\xFE"sv))
    fail(text, 0, "the file is UTF-16 (byte order mark at byte 0): save it as UTF-8");
  size_t i = starts("\xEF\xBB\xBF"sv) ? 3 : 0;
  std::string out;
  out.reserve(text.size());
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      out += '\n';
      i += (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
      fail(text, i,
           fmt::format("control character 0x{:02X} at byte {}{}", c, i,
                       c == 0 ? " (a UTF-16 file? save it as UTF-8)" : ""));
    const size_t n = utf8_length(text, i);
    if (n == 0)
      fail(text, i,
           fmt::format("invalid UTF-8 at byte {} (0x{:02X}): save the file as UTF-8", i, c));
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::vector<YAML::Node> load_yaml_documents(std::string_view raw) {
  if (raw.size() > kMaxInputBytes)
    throw YAML::ParserException(YAML::Mark::null_mark(),
                                fmt::format("the text is larger than {} MiB, the limit for input "
                                            "files",
                                            kMaxInputBytes >> 20));
  const std::string text = normalise_yaml_text(raw);
  PreScan scan(text);
  scan.run();
  check_documents(text);  // only then may LoadAll run: it would loop where the count stopped
  std::vector<YAML::Node> docs = YAML::LoadAll(text);
  // Without an alias every value is read once: kMaxValues bounds them already.
  if (scan.aliases() > 0) check_expansion(docs);
  return docs;
}

}  // namespace fourp
