// Large buffers filled once at start (the indicators' saved state and series): asking the kernel
// for 2 MiB pages where it offers them on request (transparent huge pages in "madvise" mode)
// makes their first touch hundreds of times fewer page faults.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace pdh::memory {

// Advises huge pages for the whole 2 MiB pages inside [p, p + bytes), before they are touched;
// a hint only: nothing changes where the kernel does not offer them.
inline void AdviseHugePages(void* p, size_t bytes) {
  constexpr size_t kHuge = size_t{2} << 20;
  const size_t misaligned = reinterpret_cast<uintptr_t>(p) % kHuge;
  const size_t skip = misaligned == 0 ? 0 : kHuge - misaligned;
  if (bytes < skip + kHuge) return;
  const size_t whole = (bytes - skip) / kHuge * kHuge;
  (void)::madvise(static_cast<char*>(p) + skip, whole, MADV_HUGEPAGE);
}

// For a process that builds a large state at start (the indicators' series: hundreds of
// thousands of allocations, 300 MB on the bench province): the allocator's heap on huge pages
// and grown in 64 MiB steps, which took the bench province's start from 3.1 s to 1.2 s. glibc
// reads these settings (its tunables glibc.malloc.hugetlb and top_pad) only when a program
// starts, so the process starts itself again, once, with them added to its environment. Returns
// when it did not: they were set already (by this or by the user), or the exec failed. Not under
// the sanitizers, whose allocator is their own. Call it before any thread or file is opened.
inline void RestartWithLargeHeap(char** argv) {
#if !defined(__SANITIZE_ADDRESS__)
  const char* had = std::getenv("GLIBC_TUNABLES");
  std::string tunables = had ? had : "";
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;
  if (!tunables.empty()) tunables += ':';
  tunables += "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864";
  // By its own path, not /proc/self/exe: the process keeps its name ("pdh", not "exe").
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return;
  self[n] = '\0';
  if (::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  ::execv(self, argv);
  // Not restarted: go on as before.
  if (had) {
    ::setenv("GLIBC_TUNABLES", had, 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
#else
  (void)argv;
#endif
}

}  // namespace pdh::memory
