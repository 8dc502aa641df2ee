// The rule for tests whose tool is missing (tests/support/test_support.h): a skip with a warning
// locally, a failure under CI=true.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include "tests/support/test_support.h"

using namespace fourp::test;

namespace {
// Sets (or, with nullptr, unsets) an environment variable for the scope; restores it after,
// also when the test fails by an exception.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? ::setenv(name, value, 1) : ::unsetenv(name);
  }
  ~ScopedEnv() { old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};
}  // namespace

TEST_CASE("a missing tool fails the test when CI=true, and only then", "[unit]") {
  for (const char* value : {static_cast<const char*>(nullptr), "", "false", "1", "yes"}) {
    INFO("CI=" << (value ? value : "(unset)"));
    ScopedEnv ci("CI", value);
    CHECK_FALSE(missing_tools_fail());
  }
  ScopedEnv ci("CI", "true");
  CHECK(missing_tools_fail());
}

// [!shouldfail]: Catch2 reports this test as passed only if an assertion in it fails.
TEST_CASE("skip_or_fail under CI=true fails the test", "[unit][!shouldfail]") {
  ScopedEnv ci("CI", "true");
  skip_or_fail("a tool this test pretends is missing");
}

TEST_CASE("skip_or_fail without CI only warns", "[unit]") {
  ScopedEnv ci("CI", nullptr);
  skip_or_fail("a tool this test pretends is missing");
  SUCCEED("skipped with a warning, not failed");
}
