print("amtsim")
