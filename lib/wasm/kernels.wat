;; The fast kernels, in WebAssembly SIMD (the speed work, chapter 11); lib/kernels/wasm.ts stages
;; float32 arrays into this module's memory and calls them. It exports:
;;  memory        the arrays the kernels read and write, laid out by lib/kernels/wasm.ts
;;  gemm          dense C = A · B, A packed in panels of 4 rows and B in panels of 8 columns, so both
;;                are read front to back; a 4×8 block of C stays in registers for the whole of k
;;  spmm          sparse C = S · B, with S's nonzero values listed row by row (CSR); a row of MNIST
;;                pixels is about 81% zeros, so skipping them does about a fifth of the work
;;  nonzeros      counts the nonzero floats of an array (does op(A) go to spmm or to gemm?)
;;  csrRows       the CSR form of A for spmm
;;  csrColumns    the CSR form of Aᵀ for spmm, read from A without transposing it first
;;  packA, packB  lay op(A) and op(B) out in gemm's panels, transposing on the way when asked
;;  adam          one Adam step, 4 parameters at a time
;;  relu          ReLU's forward pass, 4 values at a time
;;  reluBackward  ReLU's backward pass, 4 values at a time
;; Built into kernels.ts (the bytes, a typed interface of these exports and a function that binds
;; them) by scripts/build-wasm.ts: npm run build:wasm.
(module
  (memory (export "memory") 1)

  ;; C (n×m, row stride ldc bytes) = A · B. A is packed as n/4 panels of k groups of 4 floats (one
  ;; float from each of 4 rows); B as m/8 panels of k groups of 8 floats. n is a multiple of 4 and
  ;; m of 8 (callers pad with zeros). Each step adds one group of A times one group of B into a 4×8
  ;; block of C held in 8 registers; two steps per trip round the loop. (Larger blocks run out of
  ;; registers, and testing for zeros here costs more than it saves: spmm is for sparse A.)
  (func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $n i32) (param $k i32) (param $m i32) (param $ldc i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $panelA i32) (local $panelB i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $b0 v128) (local $b1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $panelB (local.get $b))
    (block $colsDone
      (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $i (i32.const 0))
        (local.set $panelA (local.get $a))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
            (local.set $pa (local.get $panelA))
            (local.set $pb (local.get $panelB))
            (local.set $p (local.get $k))
            (block $pairsDone
              (loop $pairs
                (br_if $pairsDone (i32.lt_u (local.get $p) (i32.const 2)))
                (local.set $b0 (v128.load offset=0 (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $s (v128.load32_splat offset=0 (local.get $pa)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $s (v128.load32_splat offset=4 (local.get $pa)))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $s (v128.load32_splat offset=8 (local.get $pa)))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $s (v128.load32_splat offset=12 (local.get $pa)))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $b0 (v128.load offset=32 (local.get $pb)))
                (local.set $b1 (v128.load offset=48 (local.get $pb)))
                (local.set $s (v128.load32_splat offset=16 (local.get $pa)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $s (v128.load32_splat offset=20 (local.get $pa)))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $s (v128.load32_splat offset=24 (local.get $pa)))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $s (v128.load32_splat offset=28 (local.get $pa)))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
                (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
                (local.set $p (i32.sub (local.get $p) (i32.const 2)))
                (br $pairs)))
            (if (local.get $p)
              (then
                (local.set $b0 (v128.load offset=0 (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $s (v128.load32_splat offset=0 (local.get $pa)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $s (v128.load32_splat offset=4 (local.get $pa)))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $s (v128.load32_splat offset=8 (local.get $pa)))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $s (v128.load32_splat offset=12 (local.get $pa)))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 16)))))
            (local.set $pc (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (v128.store (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (v128.store (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (v128.store (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $panelA (local.get $pa))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $rows)))
        (local.set $panelB (i32.add (local.get $panelB) (i32.shl (local.get $k) (i32.const 5))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols))))

  ;; C (n×m, row stride m floats) = S · B, where S is sparse: row i's nonzeros are entries start[i]
  ;; to start[i+1] of `values`, and `offsets` holds the byte offset in B of the row each multiplies.
  ;; B is (k×m) row-major with m a multiple of 8. Each row of C is built 32 columns at a time in
  ;; 8 registers (8 at a time for the last few), adding value × that 32-wide slice of B's row.
  (func (export "spmm") (param $start i32) (param $offsets i32) (param $values i32) (param $b i32) (param $c i32) (param $n i32) (param $m i32)
    (local $i i32) (local $j i32) (local $e i32) (local $end i32) (local $first i32)
    (local $pb i32) (local $pc i32) (local $s v128) (local $pv i32) (local $po i32) (local $pend i32) (local $bj i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local.set $pc (local.get $c))
    (local.set $i (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $first (i32.load (i32.add (local.get $start) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $start) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $j (i32.const 0))
        ;; 32 columns at a time
        (block $wideDone
          (loop $wide
            (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 32)) (local.get $m)))
            (local.set $c0 (v128.const i32x4 0 0 0 0)) (local.set $c1 (v128.const i32x4 0 0 0 0))
            (local.set $c2 (v128.const i32x4 0 0 0 0)) (local.set $c3 (v128.const i32x4 0 0 0 0))
            (local.set $c4 (v128.const i32x4 0 0 0 0)) (local.set $c5 (v128.const i32x4 0 0 0 0))
            (local.set $c6 (v128.const i32x4 0 0 0 0)) (local.set $c7 (v128.const i32x4 0 0 0 0))
            ;; two entries per trip round the loop, walking the value and offset lists by pointer
            (local.set $pv (i32.add (local.get $values) (i32.shl (local.get $first) (i32.const 2))))
            (local.set $po (i32.add (local.get $offsets) (i32.shl (local.get $first) (i32.const 2))))
            (local.set $pend (i32.add (local.get $values) (i32.shl (local.get $end) (i32.const 2))))
            (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (block $pairsDone
              (loop $pairs
                (br_if $pairsDone (i32.gt_u (i32.add (local.get $pv) (i32.const 8)) (local.get $pend)))
                (local.set $s (v128.load32_splat offset=0 (local.get $pv)))
                (local.set $pb (i32.add (local.get $bj) (i32.load offset=0 (local.get $po))))
                (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $pb)))))
                (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $pb)))))
                (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $pb)))))
                (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $pb)))))
                (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $s) (v128.load offset=64 (local.get $pb)))))
                (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $s) (v128.load offset=80 (local.get $pb)))))
                (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $s) (v128.load offset=96 (local.get $pb)))))
                (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $s) (v128.load offset=112 (local.get $pb)))))
                (local.set $s (v128.load32_splat offset=4 (local.get $pv)))
                (local.set $pb (i32.add (local.get $bj) (i32.load offset=4 (local.get $po))))
                (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $pb)))))
                (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $pb)))))
                (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $pb)))))
                (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $pb)))))
                (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $s) (v128.load offset=64 (local.get $pb)))))
                (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $s) (v128.load offset=80 (local.get $pb)))))
                (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $s) (v128.load offset=96 (local.get $pb)))))
                (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $s) (v128.load offset=112 (local.get $pb)))))
                (local.set $pv (i32.add (local.get $pv) (i32.const 8)))
                (local.set $po (i32.add (local.get $po) (i32.const 8)))
                (br $pairs)))
            (if (i32.lt_u (local.get $pv) (local.get $pend))
              (then
                (local.set $s (v128.load32_splat offset=0 (local.get $pv)))
                (local.set $pb (i32.add (local.get $bj) (i32.load offset=0 (local.get $po))))
                (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $pb)))))
                (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $pb)))))
                (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $pb)))))
                (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $pb)))))
                (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $s) (v128.load offset=64 (local.get $pb)))))
                (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $s) (v128.load offset=80 (local.get $pb)))))
                (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $s) (v128.load offset=96 (local.get $pb)))))
                (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $s) (v128.load offset=112 (local.get $pb)))))))
            (v128.store (local.get $pc) (local.get $c0))
            (v128.store offset=16 (local.get $pc) (local.get $c1))
            (v128.store offset=32 (local.get $pc) (local.get $c2))
            (v128.store offset=48 (local.get $pc) (local.get $c3))
            (v128.store offset=64 (local.get $pc) (local.get $c4))
            (v128.store offset=80 (local.get $pc) (local.get $c5))
            (v128.store offset=96 (local.get $pc) (local.get $c6))
            (v128.store offset=112 (local.get $pc) (local.get $c7))
            (local.set $pc (i32.add (local.get $pc) (i32.const 128)))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $wide)))
        ;; what is left, 8 columns at a time
        (block $narrowDone
          (loop $narrow
            (br_if $narrowDone (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $c0 (v128.const i32x4 0 0 0 0)) (local.set $c1 (v128.const i32x4 0 0 0 0))
            (local.set $e (local.get $first))
            (block $entriesDone
              (loop $entries
                (br_if $entriesDone (i32.ge_u (local.get $e) (local.get $end)))
                (local.set $s (v128.load32_splat (i32.add (local.get $values) (i32.shl (local.get $e) (i32.const 2)))))
                (local.set $pb (i32.add (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
                                        (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $e) (i32.const 2))))))
                (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $pb)))))
                (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $pb)))))
                (local.set $e (i32.add (local.get $e) (i32.const 1)))
                (br $entries)))
            (v128.store (local.get $pc) (local.get $c0))
            (v128.store offset=16 (local.get $pc) (local.get $c1))
            (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $narrow)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
  ;; How many of the `len` floats at `src` are not zero (NaN counts as not zero), 4 at a time.
  (func (export "nonzeros") (param $src i32) (param $len i32) (result i32)
    (local $end i32) (local $total v128) (local $count i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $groups
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        ;; a lane that is not zero compares as -1, so subtracting the comparison counts it
        (local.set $total (i32x4.sub (local.get $total) (f32x4.ne (v128.load (local.get $src)) (v128.const i32x4 0 0 0 0))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $groups)))
    (local.set $count (i32.add (i32.add (i32x4.extract_lane 0 (local.get $total)) (i32x4.extract_lane 1 (local.get $total)))
                               (i32.add (i32x4.extract_lane 2 (local.get $total)) (i32x4.extract_lane 3 (local.get $total)))))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $len) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $count (i32.add (local.get $count) (f32.ne (f32.load (local.get $src)) (f32.const 0))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $tail)))
    (local.get $count))

  ;; The nonzeros of A (n×k, row-major at src) as CSR for spmm: start (n+1 entries), and per nonzero
  ;; its value and the byte offset (column × rowBytes) of the row of B it multiplies. Every value is
  ;; written and the position moves on only past a nonzero, so there is no branch to mispredict;
  ;; offsets and values need room for one entry more than there are nonzeros.
  (func (export "csrRows") (param $src i32) (param $n i32) (param $k i32) (param $rowBytes i32) (param $start i32) (param $offsets i32) (param $values i32)
    (local $i i32) (local $p i32) (local $e i32) (local $v f32) (local $offset i32)
    (i32.store (local.get $start) (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.const 0))
        (local.set $offset (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $v (f32.load (local.get $src)))
            (f32.store (i32.add (local.get $values) (i32.shl (local.get $e) (i32.const 2))) (local.get $v))
            (i32.store (i32.add (local.get $offsets) (i32.shl (local.get $e) (i32.const 2))) (local.get $offset))
            (local.set $e (i32.add (local.get $e) (f32.ne (local.get $v) (f32.const 0))))
            (local.set $offset (i32.add (local.get $offset) (local.get $rowBytes)))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (i32.store (i32.add (local.get $start) (i32.shl (local.get $i) (i32.const 2))) (local.get $e))
        (br $rows)))
    )

  ;; The same CSR for Aᵀ, where A (k×n) is row-major at src: row i of Aᵀ is column i of A. One pass
  ;; counts each column's nonzeros into start (4 columns at a time), a running sum turns counts into
  ;; starts, and a second pass drops each nonzero into its row, using `next` (n entries) as write
  ;; positions. A zero is written to a spare slot past the end instead, so there is no branch.
  (func (export "csrColumns") (param $src i32) (param $k i32) (param $n i32) (param $rowBytes i32) (param $start i32) (param $offsets i32) (param $values i32) (param $next i32)
    (local $i i32) (local $p i32) (local $e i32) (local $v f32) (local $at i32) (local $offset i32) (local $from i32) (local $spare i32) (local $n4 i32)
    (memory.fill (local.get $start) (i32.const 0) (i32.shl (i32.add (local.get $n) (i32.const 1)) (i32.const 2)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $from (local.get $src))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $i (i32.const 0))
        (local.set $at (i32.add (local.get $start) (i32.const 4)))
        (block $groupsDone
          (loop $groups
            (br_if $groupsDone (i32.ge_u (local.get $i) (local.get $n4)))
            (v128.store (local.get $at) (i32x4.sub (v128.load (local.get $at)) (f32x4.ne (v128.load (local.get $from)) (v128.const i32x4 0 0 0 0))))
            (local.set $from (i32.add (local.get $from) (i32.const 16)))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $groups)))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $i) (local.get $n)))
            (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (f32.ne (f32.load (local.get $from)) (f32.const 0))))
            (local.set $from (i32.add (local.get $from) (i32.const 4)))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $cols)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rows)))
    (local.set $i (i32.const 0))
    (block $sumDone
      (loop $sum
        (br_if $sumDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $start) (i32.shl (local.get $i) (i32.const 2))))
        (i32.store (i32.add (local.get $next) (i32.shl (local.get $i) (i32.const 2))) (i32.load (local.get $at)))
        (i32.store offset=4 (local.get $at) (i32.add (i32.load offset=4 (local.get $at)) (i32.load (local.get $at))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (local.set $spare (i32.load (i32.add (local.get $start) (i32.shl (local.get $n) (i32.const 2)))))
    (local.set $from (local.get $src))
    (local.set $p (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $i (i32.const 0))
        (local.set $at (local.get $next))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $v (f32.load (local.get $from)))
            (local.set $e (i32.load (local.get $at)))
            (i32.store (local.get $at) (i32.add (local.get $e) (f32.ne (local.get $v) (f32.const 0))))
            (local.set $e (select (local.get $e) (local.get $spare) (f32.ne (local.get $v) (f32.const 0))))
            (f32.store (i32.add (local.get $values) (i32.shl (local.get $e) (i32.const 2))) (local.get $v))
            (i32.store (i32.add (local.get $offsets) (i32.shl (local.get $e) (i32.const 2))) (local.get $offset))
            (local.set $from (i32.add (local.get $from) (i32.const 4)))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $cols)))
        (local.set $offset (i32.add (local.get $offset) (local.get $rowBytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rows)))
    )

  ;; Packs op(A) (n×k; A itself is k×n when transposed) at src into gemm's panels of 4 rows:
  ;; dst[(I·k + p)·4 + r] = op(A)[4I + r][p]. Rows past n must already be zero in dst.
  (func (export "packA") (param $src i32) (param $n i32) (param $k i32) (param $transposed i32) (param $dst i32)
    (local $i i32) (local $p i32) (local $to i32) (local $panelBytes i32)
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 4)))
    (if (local.get $transposed)
      (then
        ;; row p of A holds op(A)[·][p]: 4 neighbours at a time are one whole group
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 4))))
            (local.set $i (i32.const 0))
            (block $groupsDone
              (loop $groups
                (br_if $groupsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
                (v128.store (local.get $to) (v128.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 16)))
                (local.set $to (i32.add (local.get $to) (local.get $panelBytes)))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $groups)))
            (block $tailDone
              (loop $tail
                (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
                (f32.store (local.get $to) (f32.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 4)))
                (local.set $to (i32.add (local.get $to) (i32.const 4)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $tail)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $rows))))
      (else
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $to (i32.add (local.get $dst)
              (i32.add (i32.mul (i32.shr_u (local.get $i) (i32.const 2)) (local.get $panelBytes)) (i32.shl (i32.and (local.get $i) (i32.const 3)) (i32.const 2)))))
            (local.set $p (i32.const 0))
            (block $colsDone
              (loop $cols
                (br_if $colsDone (i32.ge_u (local.get $p) (local.get $k)))
                (f32.store (local.get $to) (f32.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 4)))
                (local.set $to (i32.add (local.get $to) (i32.const 16)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $cols)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows))))))

  ;; Packs op(B) (k×m; B itself is m×k when transposed) at src into gemm's panels of 8 columns:
  ;; dst[(J·k + p)·8 + c] = op(B)[p][8J + c]. Columns past m must already be zero in dst.
  (func (export "packB") (param $src i32) (param $k i32) (param $m i32) (param $transposed i32) (param $dst i32)
    (local $j i32) (local $p i32) (local $to i32) (local $panelBytes i32)
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 5)))
    (if (local.get $transposed)
      (then
        ;; row j of B is column j of op(B): it goes down one column of its panel
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $to (i32.add (local.get $dst)
              (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 3)) (local.get $panelBytes)) (i32.shl (i32.and (local.get $j) (i32.const 7)) (i32.const 2)))))
            (local.set $p (i32.const 0))
            (block $colsDone
              (loop $cols
                (br_if $colsDone (i32.ge_u (local.get $p) (local.get $k)))
                (f32.store (local.get $to) (f32.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 4)))
                (local.set $to (i32.add (local.get $to) (i32.const 32)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $cols)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $rows))))
      (else
        ;; row p of B: each run of 4 columns is half of one panel's row p
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 5))))
            (local.set $j (i32.const 0))
            (block $groupsDone
              (loop $groups
                (br_if $groupsDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $m)))
                (v128.store (local.get $to) (v128.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 16)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                ;; after the second half of a panel's row, jump to the same row of the next panel
                (local.set $to (i32.add (local.get $to)
                  (select (i32.sub (local.get $panelBytes) (i32.const 16)) (i32.const 16) (i32.eqz (i32.and (local.get $j) (i32.const 7))))))
                (br $groups)))
            (block $tailDone
              (loop $tail
                (br_if $tailDone (i32.ge_u (local.get $j) (local.get $m)))
                (f32.store (local.get $to) (f32.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 4)))
                (local.set $to (i32.add (local.get $to) (i32.const 4)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $tail)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $rows))))))
  ;; One Adam step over `length` parameters, 4 at a time, all float32: m ← β₁m + (1−β₁)g,
  ;; v ← β₂v + (1−β₂)g², p ← p − rate·m / (√v + ε̂), where the caller folds the bias corrections
  ;; into rate = lr·√(1−β₂ᵗ)/(1−β₁ᵗ) and ε̂ = ε·√(1−β₂ᵗ). length is a multiple of 4 (callers pad).
  (func (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $length i32)
        (param $rate f32) (param $epsilon f32) (param $beta1 f32) (param $beta2 f32)
    (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $b1 v128) (local $b2 v128) (local $d1 v128) (local $d2 v128) (local $r v128) (local $e v128)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $d1 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))
    (local.set $d2 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))
    (local.set $r (f32x4.splat (local.get $rate)))
    (local.set $e (f32x4.splat (local.get $epsilon)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $length) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $gv (v128.load (local.get $g)))
        (local.set $mv (f32x4.add (f32x4.mul (local.get $b1) (v128.load (local.get $m))) (f32x4.mul (local.get $d1) (local.get $gv))))
        (local.set $vv (f32x4.add (f32x4.mul (local.get $b2) (v128.load (local.get $v))) (f32x4.mul (local.get $d2) (f32x4.mul (local.get $gv) (local.get $gv)))))
        (v128.store (local.get $m) (local.get $mv))
        (v128.store (local.get $v) (local.get $vv))
        (v128.store (local.get $p) (f32x4.sub (v128.load (local.get $p))
          (f32x4.div (f32x4.mul (local.get $r) (local.get $mv)) (f32x4.add (f32x4.sqrt (local.get $vv)) (local.get $e)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $each))))
  ;; ReLU on `length` floats at src into dst: max(x, 0), which keeps NaN. length is a multiple of 4.
  (func (export "relu") (param $src i32) (param $dst i32) (param $length i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $length) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.max (v128.load (local.get $src)) (v128.const i32x4 0 0 0 0)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $each))))

  ;; ReLU's backward pass: dst = d where x > 0, else 0 (a mask from the comparison, no branch).
  (func (export "reluBackward") (param $x i32) (param $d i32) (param $dst i32) (param $length i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $length) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $dst) (v128.and (v128.load (local.get $d)) (f32x4.gt (v128.load (local.get $x)) (v128.const i32x4 0 0 0 0))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $each))))
)
