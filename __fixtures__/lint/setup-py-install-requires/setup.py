from setuptools import setup

setup(
    name="detector",
    install_requires=[
        "ultralytics>=8.2",
        "opencv-python-headless",
    ],
)
