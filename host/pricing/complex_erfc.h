// The complementary error function of a complex argument in the sector
// |arg z| <= pi/4 (what the VIX option formula needs, z = k sqrt(s), Re s > 0).
#pragma once

#include <complex>

namespace condor {

std::complex<double> erfc_sector(std::complex<double> z);

}  // namespace condor
