from sklearn.pipeline import make_pipeline
p = make_pipeline()
data_pipeline(p)  # our own function
print("model loading happens at startup: model.from_pretrained is not called here")
