;; The fast matrix product: C = A · B for row-major float32 matrices in this module's memory,
;; A (n×k), B (k×m), C (n×m), with n a multiple of 4 and m a multiple of 8 (callers pad).
;; Each step of the inner loop loads 8 values of a row of B as two f32x4 vectors and multiplies
;; them by one value from each of 4 rows of A, adding into a 4×8 block of C held in registers.
;; When the 4 values of A are all zero (ReLU outputs, blank pixels) the step is skipped.
;; Built into gemm.ts by scripts/build-wasm.ts (npm run build:wasm).
(module
  (memory (export "memory") 1)
  (func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $n i32) (param $k i32) (param $m i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $rowA i32) (local $strideA i32) (local $strideB i32)
    (local $pa i32) (local $pb i32) (local $pc i32)
    (local $x0 f32) (local $x1 f32) (local $x2 f32) (local $x3 f32)
    (local $b0 v128) (local $b1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $strideA (i32.shl (local.get $k) (i32.const 2)))
    (local.set $strideB (i32.shl (local.get $m) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $rowA (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $strideA))))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
            (local.set $pa (local.get $rowA))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (i32.const 0))
            (block $innerDone
              (loop $inner
                (br_if $innerDone (i32.ge_u (local.get $p) (local.get $k)))
                (local.set $x0 (f32.load (local.get $pa)))
                (local.set $x1 (f32.load (i32.add (local.get $pa) (local.get $strideA))))
                (local.set $x2 (f32.load (i32.add (local.get $pa) (i32.shl (local.get $strideA) (i32.const 1)))))
                (local.set $x3 (f32.load (i32.add (local.get $pa) (i32.mul (local.get $strideA) (i32.const 3)))))
                (if (i32.or
                      (i32.or (i32.reinterpret_f32 (local.get $x0)) (i32.reinterpret_f32 (local.get $x1)))
                      (i32.or (i32.reinterpret_f32 (local.get $x2)) (i32.reinterpret_f32 (local.get $x3))))
                  (then
                    (local.set $b0 (v128.load (local.get $pb)))
                    (local.set $b1 (v128.load offset=16 (local.get $pb)))
                    (local.set $s (f32x4.splat (local.get $x0)))
                    (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
                    (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
                    (local.set $s (f32x4.splat (local.get $x1)))
                    (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
                    (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
                    (local.set $s (f32x4.splat (local.get $x2)))
                    (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
                    (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
                    (local.set $s (f32x4.splat (local.get $x3)))
                    (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
                    (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (local.get $strideB)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $inner)))
            (local.set $pc (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $strideB)) (i32.shl (local.get $j) (i32.const 2)))))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $strideB)))
            (v128.store (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $strideB)))
            (v128.store (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $strideB)))
            (v128.store (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows)))))
