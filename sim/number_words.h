// Numbers as people read them, for messages, summaries, reports and chart ticks: one home for
// thousands separators and for scenario values written back as their author wrote them.
//
//   thousands(24000) == "24,000";  plain_value(0.3) == "0.3";  money("USD", 2000) == "USD 2,000"
#pragma once

#include <string>
#include <string_view>

namespace fourp {

// A comma before every third digit from the right of a string of digits: "1,234,567".
std::string group_thousands(std::string_view digits);
// Rounded to a whole number ("{:.0f}" of |x|), grouped, with "-" when x < 0: "-1,234,567".
std::string thousands(double x);
// A scenario value: whole numbers with separators, others in their shortest exact form; "?" for
// NaN.
std::string plain_value(double x);
// An amount: whole amounts with separators, others with cents; the currency before it if given.
std::string money(const std::string& currency, double x);
// A share in [0, 1] as a percentage with at most two decimals: "12.5%"; "?" for NaN.
std::string plain_percent(double p);

}  // namespace fourp
