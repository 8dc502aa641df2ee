// Diagnostics: errors and warnings about user input, collected rather than thrown so that a
// user sees every problem of a file at once, printed like a compiler:
//   rural.yaml:14:5: error: unknown key 'reech' in interventions.media (did you mean 'reach'?)
//
//   fourp::Diagnostics diag;
//   diag.error(loc, "steps must be at least 1");
//   if (diag.has_errors()) throw fourp::InputError(diag.format());
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fourp {

// A place in an input file. line and column are 1-based; 0 means unknown (then only the file,
// or a description such as "--set", is printed).
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:col", "file:line" or "file"
};

struct Diagnostic {
  enum class Severity { error, warning };
  Severity severity;
  SourceLoc loc;
  std::string message;
  std::string str() const;  // "file:line:col: error: message"
};

// At most kMaxDiagnosticsPerFile diagnostics of one file are kept: the rest are counted and
// format() ends with "file: error: … and N more errors in this file", so that a file of a million
// bad entries prints 51 lines, not a million.
inline constexpr size_t kMaxDiagnosticsPerFile = 50;

class Diagnostics {
 public:
  void error(const SourceLoc& loc, std::string message);
  void warning(const SourceLoc& loc, std::string message);
  bool has_errors() const;
  // The kept diagnostics (see kMaxDiagnosticsPerFile).
  const std::vector<Diagnostic>& all() const { return items_; }
  // Every kept diagnostic, one a line, in the order they were found; then, per file with more,
  // how many were left out.
  std::string format() const;
  // Diagnostics of `file` counted but not kept.
  size_t unreported(const std::string& file) const;
  // Passes on the counts of diagnostics `other` left out (after copying its kept ones).
  void add_unreported(const Diagnostics& other);

 private:
  bool keep(const SourceLoc& loc, Diagnostic::Severity severity);

  std::vector<Diagnostic> items_;
  // Per file: diagnostics seen, and those not kept; in the order the files first appeared.
  std::vector<std::pair<std::string, std::pair<size_t, size_t>>> counts_;
  bool has_errors_ = false;
};

// Bad input (usage, scenario, sweep, network file): the program exits with status 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The closest candidate by edit distance, or "" when none is close enough to be a likely typo.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace fourp
