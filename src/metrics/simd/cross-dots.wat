;; Dot products of every row of A with every row of B, in float64 with 128-bit SIMD (f64x2).
;; A is rows x dims, B is cols x dims, both row-major float64 in this module's memory; rows, cols
;; and dims must be even (the caller pads with zero rows and columns, which add nothing). out[i *
;; cols + j] = A_i . B_j. Each pass takes 2 rows of A and 2 of B, so every loaded vector feeds two
;; multiply-adds and four independent sums are in flight.
;; `widen` turns `count` float32 values (count even) at `src` into float64 at `dst`, two at a time.
;; Built into cross-dots.wasm by `npm run build:wasm` (scripts/compile-wat.ts).
(module
  (memory (export "memory") 1)
  (func (export "widen") (param $src i32) (param $count i32) (param $dst i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $count) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (v128.store (local.get $dst) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $src))))
      (local.set $src (i32.add (local.get $src) (i32.const 8)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $next))))
  (func (export "crossDots") (param $a i32) (param $rows i32) (param $b i32) (param $cols i32) (param $dims i32) (param $out i32)
    (local $rowBytes i32) (local $i i32) (local $j i32) (local $k i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $o i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $x0 v128) (local $x1 v128) (local $y0 v128) (local $y1 v128)
    (local.set $rowBytes (i32.shl (local.get $dims) (i32.const 3)))
    (block $rowsDone (loop $nextRows
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $a1 (i32.add (local.get $a0) (local.get $rowBytes)))
      (local.set $j (i32.const 0))
      (block $colsDone (loop $nextCols
        (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $b1 (i32.add (local.get $b0) (local.get $rowBytes)))
        (local.set $s00 (v128.const i64x2 0 0))
        (local.set $s01 (v128.const i64x2 0 0))
        (local.set $s10 (v128.const i64x2 0 0))
        (local.set $s11 (v128.const i64x2 0 0))
        (local.set $k (i32.const 0))
        (block $dimsDone (loop $nextDims
          (br_if $dimsDone (i32.ge_u (local.get $k) (local.get $rowBytes)))
          (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $k))))
          (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $k))))
          (local.set $y0 (v128.load (i32.add (local.get $b0) (local.get $k))))
          (local.set $y1 (v128.load (i32.add (local.get $b1) (local.get $k))))
          (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $y0))))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $y1))))
          (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $y0))))
          (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $y1))))
          (local.set $k (i32.add (local.get $k) (i32.const 16)))
          (br $nextDims)))
        (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 3))))
        (f64.store (local.get $o) (f64.add (f64x2.extract_lane 0 (local.get $s00)) (f64x2.extract_lane 1 (local.get $s00))))
        (f64.store offset=8 (local.get $o) (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01))))
        (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $cols)) (local.get $j)) (i32.const 3))))
        (f64.store (local.get $o) (f64.add (f64x2.extract_lane 0 (local.get $s10)) (f64x2.extract_lane 1 (local.get $s10))))
        (f64.store offset=8 (local.get $o) (f64.add (f64x2.extract_lane 0 (local.get $s11)) (f64x2.extract_lane 1 (local.get $s11))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $nextCols)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $nextRows))))
)
