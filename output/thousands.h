// Thousands separators for numbers written for people ("3,412,000"): one rule for the terminal
// summary table, the report's text and its chart ticks.
//
//   group_thousands("1234567") == "1,234,567";   whole_with_thousands(-1234.6) == "-1,235"
#pragma once

#include <string>
#include <string_view>

namespace fourp {

// A comma before every third digit from the right of a string of digits.
std::string group_thousands(std::string_view digits);

// x rounded to a whole number ("{:.0f}" of |x|), grouped, with "-" when x < 0.
std::string whole_with_thousands(double x);

}  // namespace fourp
