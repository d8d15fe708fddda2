#include "bench/quantlib_heston.h"

#include <chrono>
#include <ql/math/randomnumbers/rngtraits.hpp>
#include <ql/methods/montecarlo/multipathgenerator.hpp>
#include <ql/processes/hestonprocess.hpp>
#include <ql/quotes/simplequote.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/yield/flatforward.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>

namespace condor::bench {

QuantLibTiming time_quantlib_heston(const HestonInputs& in, long paths, int steps, double years) {
    using namespace QuantLib;
    const Date today(27, November, 2026);
    Settings::instance().evaluationDate() = today;
    const DayCounter day_count = Actual365Fixed();
    const Handle<YieldTermStructure> rate(ext::make_shared<FlatForward>(today, in.rate, day_count));
    const Handle<YieldTermStructure> dividend(ext::make_shared<FlatForward>(today, in.dividend_yield, day_count));
    const Handle<Quote> spot(ext::make_shared<SimpleQuote>(in.spot));
    const auto process = ext::make_shared<HestonProcess>(rate, dividend, spot, in.v0, in.kappa, in.theta, in.sigma,
                                                         in.rho, HestonProcess::QuadraticExponentialMartingale);
    using Sequence = PseudoRandom::rsg_type;
    MultiPathGenerator<Sequence> generator(process, TimeGrid(years, Size(steps)),
                                           PseudoRandom::make_sequence_generator(2 * steps, 42), false);
    double sum = 0;
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < paths; ++i) sum += generator.next().value[0].back();
    QuantLibTiming t;
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    t.mean_terminal = sum / double(paths);
    return t;
}

}  // namespace condor::bench
