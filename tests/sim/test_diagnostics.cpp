// Diagnostics: how locations and messages print, and the did-you-mean used by every
// "unknown ..." error.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/diagnostics.h"
#include "sim/params.h"

using fourp::Diagnostic;
using fourp::Diagnostics;
using fourp::did_you_mean;
using fourp::SourceLoc;

TEST_CASE("did_you_mean suggests the closest candidate to a typo", "[unit]") {
  std::vector<std::string> keys = {"reach", "message", "cost", "start", "duration", "target"};
  CHECK(did_you_mean("reech", keys) == "reach");         // one substitution
  CHECK(did_you_mean("reahc", keys) == "reach");         // one transposition
  CHECK(did_you_mean("mesage", keys) == "message");      // one deletion
  CHECK(did_you_mean("durationn", keys) == "duration");  // one insertion
  CHECK(did_you_mean("reach", keys) == "reach");         // exact
}

TEST_CASE("did_you_mean stays silent when nothing is close", "[unit]") {
  std::vector<std::string> keys = {"reach", "message", "cost"};
  CHECK(did_you_mean("population", keys).empty());
  CHECK(did_you_mean("xyz", keys).empty());
  CHECK(did_you_mean("reach", {}).empty());
}

TEST_CASE("did_you_mean prefers the nearer of two candidates", "[unit]") {
  CHECK(did_you_mean("denail", {"social_weight", "denial", "eta_a"}) == "denial");
  CHECK(did_you_mean("kappa_q", {"kappa_a", "kappa_f"}) == "kappa_a");  // a tie: the first wins
}

TEST_CASE("SourceLoc prints file, line and column like a compiler", "[unit]") {
  CHECK(SourceLoc{"rural.yaml", 14, 5}.str() == "rural.yaml:14:5");
  CHECK(SourceLoc{"rural.yaml", 14, 0}.str() == "rural.yaml:14");
  CHECK(SourceLoc{"rural.yaml"}.str() == "rural.yaml");
  CHECK(SourceLoc{"--set model.denial=2"}.str() == "--set model.denial=2");
}

TEST_CASE("Diagnostics collect errors and warnings in order and format one a line", "[unit]") {
  Diagnostics d;
  CHECK_FALSE(d.has_errors());
  d.warning({"a.yaml", 3, 1}, "intervention 'x' is used by no arm");
  CHECK_FALSE(d.has_errors());  // a warning alone is not a failure
  d.error({"a.yaml", 14, 5}, "unknown key 'reech' in interventions.media (did you mean 'reach'?)");
  CHECK(d.has_errors());
  REQUIRE(d.all().size() == 2);
  CHECK(d.all()[0].severity == Diagnostic::Severity::warning);
  CHECK(d.all()[1].str() ==
        "a.yaml:14:5: error: unknown key 'reech' in interventions.media (did you mean 'reach'?)");
  CHECK(d.format() ==
        "a.yaml:3:1: warning: intervention 'x' is used by no arm\n"
        "a.yaml:14:5: error: unknown key 'reech' in interventions.media (did you mean 'reach'?)\n");
}

TEST_CASE("describe_range says the allowed range in words", "[unit]") {
  using fourp::ParamSpec;
  const double inf = INFINITY;
  CHECK(fourp::describe_range(ParamSpec{"p", 0, 0, 1, "", "", false}) == "a number in [0, 1]");
  CHECK(fourp::describe_range(ParamSpec{"n", 1, 1, inf, "", "", true}) == "a whole number >= 1");
  CHECK(fourp::describe_range(ParamSpec{"x", 0, -inf, 2.5, "", "", false}) == "a number <= 2.5");
  CHECK(fourp::describe_range(ParamSpec{"y", 0, -inf, inf, "", "", false}) == "a number");
}
