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

class Diagnostics {
 public:
  void error(const SourceLoc& loc, std::string message);
  void warning(const SourceLoc& loc, std::string message);
  bool has_errors() const;
  const std::vector<Diagnostic>& all() const { return items_; }
  // Every diagnostic, one a line, in the order they were found.
  std::string format() const;

 private:
  std::vector<Diagnostic> items_;
};

// Bad input (usage, scenario, sweep, network file): the program exits with status 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The closest candidate by edit distance, or "" when none is close enough to be a likely typo.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace fourp
