fn main() {
    println!("hkfilings");
}
