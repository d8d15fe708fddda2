// GPU ceilings (bench/ceilings.h): each kernel timed with CUDA events after a
// warm-up launch, over enough blocks to fill every SM many times.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "bench/ceilings.h"
#include "kernels/special_functions.h"

namespace condor::bench {
namespace {

void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess)
        throw std::runtime_error(std::string("CUDA: ") + what + ": " + cudaGetErrorString(status));
}

constexpr int kThreads = 256;
constexpr int kLanes = 8;  // independent accumulators per thread: enough to hide the FMA latency

template <class Real>
__global__ void multiply_add_loop(Real* out, int iterations) {
    const int tid = blockIdx.x * blockDim.x + threadIdx.x;
    Real acc[kLanes];
    for (int j = 0; j < kLanes; ++j) acc[j] = Real(1) + Real(tid % 97 + j) * Real(1e-4);
    const Real a = Real(0.999999), b = Real(1e-7);
    for (int k = 0; k < iterations; ++k)
#pragma unroll
        for (int j = 0; j < kLanes; ++j) acc[j] = fma(acc[j], a, b);
    Real sum = 0;
    for (int j = 0; j < kLanes; ++j) sum += acc[j];
    out[tid] = sum;
}

// The path step's special-function mix (kernels/special_functions.h, the
// engine's own log and sincos_two_pi, a square root and a divide: five calls),
// as the engine evaluates it.
template <class Real>
__global__ void special_loop(Real* out, int iterations) {
    const int tid = blockIdx.x * blockDim.x + threadIdx.x;
    Real v = Real(0.5) + Real(tid % 4096) / Real(4096), sum = 0;
    for (int k = 0; k < iterations; ++k) {
        Real s, c;
        sincos_two_pi(v, s, c);
        sum += log_positive(v) + s + c + square_root(v) + Real(1) / v;
        v += Real(1e-6);
    }
    out[tid] = sum;
}

// The same mix with CUDA's own log and sincospi (sin and cos of pi x, so of
// 2 pi v at x = 2v), square root and divide.
__device__ inline void library_sincospi(float x, float& s, float& c) { sincospif(x, &s, &c); }
__device__ inline void library_sincospi(double x, double& s, double& c) { sincospi(x, &s, &c); }

template <class Real>
__global__ void library_special_loop(Real* out, int iterations) {
    const int tid = blockIdx.x * blockDim.x + threadIdx.x;
    Real v = Real(0.5) + Real(tid % 4096) / Real(4096), sum = 0;
    for (int k = 0; k < iterations; ++k) {
        Real s, c;
        library_sincospi(Real(2) * v, s, c);
        sum += log(v) + s + c + sqrt(v) + Real(1) / v;
        v += Real(1e-6);
    }
    out[tid] = sum;
}

template <class Launch>
double best_ms(Launch launch) {
    cudaEvent_t start, stop;
    check(cudaEventCreate(&start), "cudaEventCreate");
    check(cudaEventCreate(&stop), "cudaEventCreate");
    launch();  // warm-up
    check(cudaDeviceSynchronize(), "warm-up");
    float best = 1e30f;
    for (int k = 0; k < 3; ++k) {
        cudaEventRecord(start);
        launch();
        cudaEventRecord(stop);
        check(cudaEventSynchronize(stop), "synchronize");
        float ms = 0;
        cudaEventElapsedTime(&ms, start, stop);
        best = ms < best ? ms : best;
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    return best;
}

template <class Real>
Ceilings measure(int device) {
    check(cudaSetDevice(device), "cudaSetDevice");
    cudaDeviceProp prop{};
    check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    const int blocks = prop.multiProcessorCount * 32;
    const std::size_t threads = std::size_t(blocks) * kThreads;
    Real* out = nullptr;
    check(cudaMalloc(&out, threads * sizeof(Real)), "cudaMalloc");
    Ceilings c;
    const int fma_iterations = 4096, special_iterations = 256;
    const double fma_ms = best_ms([&] { multiply_add_loop<Real><<<blocks, kThreads>>>(out, fma_iterations); });
    c.arithmetic_per_s = double(threads) * fma_iterations * kLanes / (fma_ms * 1e-3);
    const double special_ms = best_ms([&] { special_loop<Real><<<blocks, kThreads>>>(out, special_iterations); });
    c.special_per_s = double(threads) * special_iterations * 5 / (special_ms * 1e-3);
    const double library_ms =
        best_ms([&] { library_special_loop<Real><<<blocks, kThreads>>>(out, special_iterations); });
    c.library_special_per_s = double(threads) * special_iterations * 5 / (library_ms * 1e-3);
    check(cudaFree(out), "cudaFree");

    const std::size_t bytes = std::size_t(1) << 30;
    void *from = nullptr, *to = nullptr;
    check(cudaMalloc(&from, bytes), "cudaMalloc");
    check(cudaMalloc(&to, bytes), "cudaMalloc");
    check(cudaMemset(from, 1, bytes), "cudaMemset");
    const double copy_ms = best_ms([&] { cudaMemcpy(to, from, bytes, cudaMemcpyDeviceToDevice); });
    c.copy_bytes_per_s = 2.0 * double(bytes) / (copy_ms * 1e-3);
    cudaFree(from);
    cudaFree(to);
    return c;
}

}  // namespace

Ceilings measure_cuda_ceilings(int device, bool single_precision) {
    return single_precision ? measure<float>(device) : measure<double>(device);
}

}  // namespace condor::bench
