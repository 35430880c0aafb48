from placement.testcloud.cli import main

main()
