// The `usnet` executable: everything lives in UsnetCLI, where the tests reach it.
import UsnetCLI

UsnetCommand.main()
