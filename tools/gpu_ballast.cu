// Holds all but N GiB of a GPU's free memory until killed, so that a program
// started beside it sees the free memory of a smaller card: how
// tools/device_job.sh runs the 1e9-path check "on a 16 GB GPU" on a larger one.
// Build: nvcc -O2 -o gpu_ballast tools/gpu_ballast.cu
// Usage: gpu_ballast LEAVE_GIB   (prints "ready" once the memory is held)
#include <cuda_runtime.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: gpu_ballast LEAVE_GIB\n");
        return 2;
    }
    const std::size_t leave = std::size_t(std::atof(argv[1]) * double(1ull << 30));
    std::size_t free_bytes = 0, total = 0;
    if (cudaMemGetInfo(&free_bytes, &total) != cudaSuccess || free_bytes <= leave) {
        std::fprintf(stderr, "gpu_ballast: cannot leave %s GiB free\n", argv[1]);
        return 1;
    }
    void* held = nullptr;
    if (cudaMalloc(&held, free_bytes - leave) != cudaSuccess) {
        std::fprintf(stderr, "gpu_ballast: cudaMalloc of %zu bytes failed\n", free_bytes - leave);
        return 1;
    }
    // Touch it, so that the memory is really taken.
    cudaMemset(held, 1, free_bytes - leave);
    cudaDeviceSynchronize();
    cudaMemGetInfo(&free_bytes, &total);
    std::printf("ready: %.2f GiB of %.2f GiB free\n", free_bytes / double(1ull << 30), total / double(1ull << 30));
    std::fflush(stdout);
    pause();
}
